import DRODSCLI
import DRODSCore
import DRODSHTTP
import DRODSRuntime
import Foundation

/// A service executable built by SwiftPM, run as a child process the way an operator runs
/// it, with its log captured to a file.
public final class ServiceUnderTest: @unchecked Sendable {
    public let executable: String
    /// The admin port the service bound, once it has logged it.
    public var adminPort: Int? { PortFile.read(logFile.path + ".admin-port") }
    public let logFile: URL
    private let process = Process()

    /// Starts `executable` (for example `drods-history`) with the given variables on top of a
    /// minimal environment; DRODS_ADMIN_PORT is 0 (any free port) unless given.
    public init(_ executable: String, environment: [String: String]) throws {
        self.executable = executable
        var variables = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"]
        variables.merge(environment) { _, new in new }
        logFile = URL(fileURLWithPath: NSTemporaryDirectory())
            .appendingPathComponent("\(executable)-\(getpid())-\(UUID().uuidString.prefix(8)).log")
        _ = FileManager.default.createFile(atPath: logFile.path, contents: nil)
        let handle = try FileHandle(forWritingTo: logFile)
        process.executableURL = Self.productsDirectory().appendingPathComponent(executable)
        // Port 0 and a port file: the service binds a free port and writes it down, so no
        // port is chosen in advance that another process could take first.
        if variables["DRODS_ADMIN_PORT"] == nil { variables["DRODS_ADMIN_PORT"] = "0" }
        variables["DRODS_ADMIN_PORT_FILE"] = logFile.path + ".admin-port"
        process.environment = variables
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    public var pid: Int32 { process.processIdentifier }
    public var isRunning: Bool { process.isRunning }
    public var exitStatus: Int32 { process.terminationStatus }
    public var log: String { (try? String(contentsOf: logFile, encoding: .utf8)) ?? "" }

    /// Waits until `/readyz` returns 200. Returns false on timeout or when the process exits.
    public func waitUntilReady(timeout: Double = 60) -> Bool {
        let client = HTTPClient()
        let deadline = Date(timeIntervalSinceNow: timeout)
        while Date() < deadline && process.isRunning {
            if let adminPort, let response = try? client.request(method: "GET", url: "http://127.0.0.1:\(adminPort)/readyz",
                                                  timeout: 2),
               response.status == 200 {
                return true
            }
            Thread.sleep(forTimeInterval: 0.1)
        }
        return false
    }

    public func signal(_ number: Int32) { kill(process.processIdentifier, number) }

    /// Waits for the process to exit; returns false when it is still running after `timeout`.
    public func waitForExit(timeout: Double) -> Bool {
        let deadline = Date(timeIntervalSinceNow: timeout)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        if process.isRunning { return false }
        process.waitUntilExit()
        return true
    }

    /// Returns the folder SwiftPM built the executables into, which contains the test bundle.
    public static func productsDirectory() -> URL {
        let path = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments[0]
        var url = URL(fileURLWithPath: path).deletingLastPathComponent()
        // The test runner lives inside `<name>.xctest` on some layouts; step out of it.
        while url.pathExtension == "xctest" || url.lastPathComponent == "MacOS" || url.lastPathComponent == "Contents" {
            url.deleteLastPathComponent()
        }
        return url
    }
}
