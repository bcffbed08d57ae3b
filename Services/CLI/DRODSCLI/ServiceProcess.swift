import DRODSCore
import DRODSRuntime
import Foundation

/// One control-plane service run by the launcher as a child process, its standard output and
/// error appended to a log file of its own.
final class ServiceProcess: @unchecked Sendable {
    let name: String
    /// The admin port the service bound, once it has logged it.
    var adminPort: Int? { PortFile.read(logFile.path + ".admin-port") }
    let logFile: URL
    private let process = Process()

    init(name: String, executable: URL, arguments: [String] = [], environment: [String: String],
         logFile: URL) throws {
        self.name = name
        self.logFile = logFile
        guard FileManager.default.isExecutableFile(atPath: executable.path) else {
            throw LauncherError("\(executable.path) not found; build the package first (swift build)")
        }
        _ = FileManager.default.createFile(atPath: logFile.path, contents: nil)
        let handle = try FileHandle(forWritingTo: logFile)
        handle.seekToEndOfFile()
        process.executableURL = executable
        process.arguments = arguments
        var variables = environment
        // Port 0 and a port file: the service binds a free port and writes it down, so no
        // port is chosen in advance that another process could take first.
        variables["DRODS_ADMIN_PORT"] = "0"
        variables["DRODS_ADMIN_PORT_FILE"] = logFile.path + ".admin-port"
        try? FileManager.default.removeItem(atPath: logFile.path + ".admin-port")
        process.environment = variables
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
    }

    func start() throws { try process.run() }

    var isRunning: Bool { process.isRunning }
    var pid: Int32 { process.processIdentifier }
    var exitStatus: Int32 { process.terminationStatus }

    /// Sends SIGTERM, waits up to `grace` seconds, then SIGKILL.
    func terminate(grace: Double) {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGTERM)
        let deadline = Date(timeIntervalSinceNow: grace)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    /// Returns the last lines of the log, shown when the service failed.
    func logTail(lines: Int = 15) -> String {
        guard let text = try? String(contentsOf: logFile, encoding: .utf8) else { return "" }
        return text.split(separator: "\n").suffix(lines).joined(separator: "\n")
    }
}
