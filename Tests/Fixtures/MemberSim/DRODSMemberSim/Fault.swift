import DRODSCore

/// A failure injected into one simulated cluster's API.
public enum Fault: Sendable, Equatable {
    /// The API works normally.
    case none
    /// Every API call gets 503 Service Unavailable, as from a load balancer with no healthy
    /// API server behind it.
    case down
    /// Every API call waits this many milliseconds before it is served.
    case slow(latencyMs: Int)
    /// Every API call hangs until the fault is cleared, so clients run into their own timeouts.
    /// A call still hanging after the simulator's partition hold time gets 504 Gateway Timeout.
    case partitioned

    /// Largest latency `slow` accepts, in milliseconds.
    public static let maxLatencyMs = 600_000

    public var mode: String {
        switch self {
        case .none: "none"
        case .down: "down"
        case .slow: "slow"
        case .partitioned: "partitioned"
        }
    }

    /// The JSON form used by the control API: `{"mode": "slow", "latencyMs": 500}`.
    public var json: JSONValue {
        var members: [String: JSONValue] = ["mode": .string(mode)]
        if case .slow(let latency) = self { members["latencyMs"] = .number(Double(latency)) }
        return .object(members)
    }

    /// Reads the control API's JSON form; the error message names the invalid field.
    public init(json: JSONValue) throws {
        guard let mode = json["mode"]?.stringValue else {
            throw FaultError(message: "mode is missing; use one of none, down, slow, partitioned")
        }
        switch mode {
        case "none": self = .none
        case "down": self = .down
        case "partitioned": self = .partitioned
        case "slow":
            guard let latency = json["latencyMs"]?.intValue, (1...Self.maxLatencyMs).contains(latency) else {
                throw FaultError(message: "latencyMs must be a whole number of milliseconds in 1...\(Self.maxLatencyMs) "
                                     + "for mode slow")
            }
            self = .slow(latencyMs: latency)
        default:
            throw FaultError(message: "mode \"\(mode)\" is not one of none, down, slow, partitioned")
        }
    }
}

/// A fault description that the control API could not read.
public struct FaultError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public var description: String { "invalid fault: \(message)" }
}
