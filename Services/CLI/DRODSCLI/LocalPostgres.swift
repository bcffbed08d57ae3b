import DRODSCore
import DRODSEventStore
import Foundation

/// A private PostgreSQL server for the local launcher and the tests: `initdb` into a data
/// folder on first start, then `postgres` as a child process listening on 127.0.0.1 only.
///
/// As root, PostgreSQL refuses to run, so initdb and the server run as the `postgres` user
/// through `setpriv`. That user must own the data folder and be able to traverse every folder
/// above it.
public final class LocalPostgres: @unchecked Sendable {
    public struct Options: Sendable {
        public var dataDirectory: URL
        /// 0 picks a free port.
        public var port: Int = 0
        /// Trades durability for speed; only for throwaway test databases.
        public var durable: Bool = true
        public var startTimeout: Double = 60

        public init(dataDirectory: URL) { self.dataDirectory = dataDirectory }
    }

    public let options: Options
    public private(set) var port: Int = 0
    private let logger: Logger
    private var process: Process?

    public init(options: Options, logger: Logger) {
        self.options = options
        self.logger = logger
    }

    /// Connection URL of the superuser database.
    public var url: String { url(database: "postgres") }

    public func url(database: String) -> String {
        "postgresql://postgres@127.0.0.1:\(port)/\(database)?sslmode=disable&connect_timeout=5"
    }

    // MARK: - Lifecycle

    public func start() throws {
        let binaries = try Self.binaryDirectory()
        let data = options.dataDirectory
        let clusterDirectory = data.appendingPathComponent("pgdata")
        let socketDirectory = data.appendingPathComponent("pgsocket")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: socketDirectory, withIntermediateDirectories: true)
        try prepareOwnership(of: data)

        if !FileManager.default.fileExists(atPath: clusterDirectory.appendingPathComponent("PG_VERSION").path) {
            logger.info("initialising PostgreSQL data folder", ["path": clusterDirectory.path])
            try runToCompletion(binaries.appendingPathComponent("initdb").path, [
                "-D", clusterDirectory.path, "-U", "postgres", "--auth=trust", "--encoding=UTF8",
                "--no-instructions",
            ], log: data.appendingPathComponent("initdb.log"))
        }

        port = options.port == 0 ? try FreePort.find() : options.port
        var arguments = [
            "-D", clusterDirectory.path, "-p", String(port), "-k", socketDirectory.path,
            "-c", "listen_addresses=127.0.0.1", "-c", "max_connections=200",
        ]
        if !options.durable {
            arguments += ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"]
        }
        let logFile = data.appendingPathComponent("postgres.log")
        let child = try launch(binaries.appendingPathComponent("postgres").path, arguments, log: logFile)
        process = child

        let deadline = Date(timeIntervalSinceNow: options.startTimeout)
        while true {
            if let connection = try? PQConnection(url: url) {
                connection.close()
                break
            }
            if !child.isRunning {
                throw LauncherError("PostgreSQL exited at start (status \(child.terminationStatus)); "
                                    + "see \(logFile.path)")
            }
            if Date() > deadline {
                stop()
                throw LauncherError("PostgreSQL did not accept connections within "
                                    + "\(Int(options.startTimeout)) s; see \(logFile.path)")
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        logger.info("PostgreSQL ready", [.port: String(port), .pid: String(child.processIdentifier)])
    }

    /// Stops the server with a fast shutdown (SIGINT: roll back open transactions, then exit).
    public func stop() {
        guard let process, process.isRunning else { return }
        kill(process.processIdentifier, SIGINT)
        let deadline = Date(timeIntervalSinceNow: 30)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        self.process = nil
        logger.info("PostgreSQL stopped", [.port: String(port)])
    }

    /// Creates a database if it does not exist yet.
    public func createDatabase(_ name: String) throws {
        let connection = try PQConnection(url: url)
        defer { connection.close() }
        let exists = try connection.query("SELECT 1 FROM pg_database WHERE datname = $1", [name])
        guard exists.isEmpty else { return }
        let quoted = "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        try connection.query("CREATE DATABASE \(quoted)")
    }

    // MARK: - Processes

    private var runsAsRoot: Bool { geteuid() == 0 }

    /// As root, gives the data folder to `postgres` and checks that it can reach it.
    private func prepareOwnership(of data: URL) throws {
        guard runsAsRoot else { return }
        try runToCompletion("/bin/chown", ["-R", "postgres:postgres", data.path], log: nil, asPostgres: false)
        do {
            try runToCompletion("/usr/bin/test", ["-w", data.path, "-a", "-x", data.path], log: nil)
        } catch {
            throw LauncherError(
                "the postgres user cannot reach \(data.path); choose a data folder whose parent "
                + "folders others may traverse (for example under /var/tmp or /srv)")
        }
    }

    private func command(_ executable: String, _ arguments: [String],
                         asPostgres: Bool) -> (String, [String]) {
        guard runsAsRoot && asPostgres else { return (executable, arguments) }
        return ("/usr/bin/setpriv", ["--reuid=postgres", "--regid=postgres", "--clear-groups",
                                     "--", executable] + arguments)
    }

    private func launch(_ executable: String, _ arguments: [String], log: URL?,
                        asPostgres: Bool = true) throws -> Process {
        let (path, args) = command(executable, arguments, asPostgres: asPostgres)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = args
        process.currentDirectoryURL = options.dataDirectory
        if let log {
            _ = FileManager.default.createFile(atPath: log.path, contents: nil)
            let handle = try FileHandle(forWritingTo: log)
            handle.seekToEndOfFile()
            process.standardOutput = handle
            process.standardError = handle
        } else {
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
        }
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return process
    }

    private func runToCompletion(_ executable: String, _ arguments: [String], log: URL?,
                                 asPostgres: Bool = true) throws {
        let process = try launch(executable, arguments, log: log, asPostgres: asPostgres)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let name = (executable as NSString).lastPathComponent
            throw LauncherError("\(name) failed with status \(process.terminationStatus)"
                                + (log.map { "; see \($0.path)" } ?? ""))
        }
    }

    /// Finds PostgreSQL's server binaries: `DRODS_PG_BIN`, else the newest version installed
    /// under /usr/lib/postgresql (Debian's layout).
    static func binaryDirectory() throws -> URL {
        if let configured = ProcessInfo.processInfo.environment["DRODS_PG_BIN"], !configured.isEmpty {
            return URL(fileURLWithPath: configured)
        }
        let root = "/usr/lib/postgresql"
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        let newest = versions.compactMap(Int.init).sorted().last { version in
            FileManager.default.isExecutableFile(atPath: "\(root)/\(version)/bin/initdb")
        }
        guard let newest else {
            throw LauncherError("PostgreSQL server binaries not found under \(root); install the "
                                + "postgresql package (scripts/setup.sh does) or set DRODS_PG_BIN")
        }
        return URL(fileURLWithPath: "\(root)/\(newest)/bin")
    }
}

/// A launcher failure with a message meant for the person running it.
public struct LauncherError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
