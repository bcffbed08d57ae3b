import DRODSCore
import Foundation

/// Command-line options of `drods-membersim`.
public struct MemberSimOptions: Sendable, Equatable {
    public var fleetPath: String
    public var port = 0
    public var tlsPort = 0
    public var servesTLS = true
    public var portFile: String?
    public var kubeconfigPath = "membersim.kubeconfig"
    public var adminTokenFile: String?
    public var seed: UInt64 = 1
    public var podReadySeconds = 2.0
    public var jobRunSeconds = 10.0
    public var partitionHoldSeconds = 30.0
    public var threads = 16
    public var logLevel = LogLevel.info

    public static let usage = """
        usage: drods-membersim --fleet FILE [options]

        Serves simulated Kubernetes member clusters on 127.0.0.1 until SIGINT or SIGTERM.
        Prints the HTTP port, and the HTTPS port unless --no-tls, on one line of standard output;
        logs go to standard error as JSON lines.

          --fleet FILE                 fleet file (YAML) describing the clusters (required)
          --port N                     TCP port of the plain HTTP listener, 0 for any free port (default 0)
          --tls-port N                 TCP port of the HTTPS listener, 0 for any free port (default 0)
          --no-tls                     serve plain HTTP only; kubectl then sends no token
          --port-file FILE             also write the port line to FILE
          --kubeconfig FILE            write the kubeconfig here (default membersim.kubeconfig)
          --admin-token-file FILE      write the control API token here, mode 0600
          --seed N                     seed of the background load noise (default 1)
          --pod-ready-seconds S        delay from binding to a ready pod (default 2)
          --job-run-seconds S          run time of a job's pod before it succeeds (default 10)
          --partition-hold-seconds S   how long a partitioned cluster holds a request before 504 (default 30)
          --threads N                  HTTP worker threads (default 16)
          --log-level LEVEL            trace, debug, info, notice, warning or error (default info)
        """

    public init(fleetPath: String) {
        self.fleetPath = fleetPath
    }

    /// Parses the arguments after the program name. Throws `ConfigurationError` naming the option.
    public static func parse(_ arguments: [String]) throws -> MemberSimOptions {
        var options = MemberSimOptions(fleetPath: "")
        var remaining = arguments[...]
        func value(_ option: String) throws -> String {
            guard let next = remaining.popFirst() else {
                throw ConfigurationError(variable: option, message: "needs a value")
            }
            return next
        }
        func seconds(_ option: String) throws -> Double {
            let text = try value(option)
            guard let number = Double(text), number.isFinite, number >= 0 else {
                throw ConfigurationError(variable: option, message: "\"\(text)\" is not a non-negative number of seconds")
            }
            return number
        }
        func integer(_ option: String, _ range: ClosedRange<Int>) throws -> Int {
            let text = try value(option)
            guard let number = Int(text), range.contains(number) else {
                throw ConfigurationError(variable: option,
                                         message: "\"\(text)\" is not a whole number in \(range.lowerBound)...\(range.upperBound)")
            }
            return number
        }

        while let option = remaining.popFirst() {
            switch option {
            case "--fleet": options.fleetPath = try value(option)
            case "--port": options.port = try integer(option, 0...65535)
            case "--tls-port": options.tlsPort = try integer(option, 0...65535)
            case "--no-tls": options.servesTLS = false
            case "--port-file": options.portFile = try value(option)
            case "--kubeconfig": options.kubeconfigPath = try value(option)
            case "--admin-token-file": options.adminTokenFile = try value(option)
            case "--seed":
                let text = try value(option)
                guard let seed = UInt64(text) else {
                    throw ConfigurationError(variable: option, message: "\"\(text)\" is not an unsigned 64-bit integer")
                }
                options.seed = seed
            case "--pod-ready-seconds": options.podReadySeconds = try seconds(option)
            case "--job-run-seconds": options.jobRunSeconds = try seconds(option)
            case "--partition-hold-seconds": options.partitionHoldSeconds = try seconds(option)
            case "--threads": options.threads = try integer(option, 1...1024)
            case "--log-level":
                let text = try value(option)
                guard let level = LogLevel(name: text) else {
                    throw ConfigurationError(variable: option, message: "\"\(text)\" is not a log level")
                }
                options.logLevel = level
            default:
                throw ConfigurationError(variable: option, message: "is not a known option; run with --help")
            }
        }
        guard !options.fleetPath.isEmpty else {
            throw ConfigurationError(variable: "--fleet", message: "is required")
        }
        return options
    }

    /// Returns the simulator configuration for these options and a parsed fleet.
    public func configuration(fleet: Fleet) -> MemberSimConfiguration {
        MemberSimConfiguration(fleet: fleet, port: port, servesTLS: servesTLS, tlsPort: tlsPort, seed: seed,
                               behavior: ClusterBehavior(podReadyDelaySeconds: podReadySeconds,
                                                         jobRunSeconds: jobRunSeconds),
                               partitionHoldSeconds: partitionHoldSeconds, threadPoolSize: threads,
                               kubeconfigPath: kubeconfigPath)
    }
}
