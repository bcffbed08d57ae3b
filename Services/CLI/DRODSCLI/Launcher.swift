import DRODSAuth
import DRODSCore
import DRODSRuntime
import DRODSEventStore
import DRODSHTTP
import DRODSMessaging
import Foundation

/// `drods up`: the whole control plane on one machine. Starts a private PostgreSQL (unless
/// `--postgres` is given), the development broker (unless `--kafka` is given) and the five
/// services, waits until every service reports ready, then runs until SIGINT or SIGTERM and
/// stops everything in reverse order.
public final class Launcher: @unchecked Sendable {
    public struct Options: Sendable {
        /// Keeps state (database, secrets, logs) here; a temporary folder when nil.
        public var dataDirectory: URL?
        public var kafkaBrokers: String?
        public var postgresURL: String?
        public var gatewayPort = 8080
        public var readyTimeout = 120.0
        public var logLevel = "info"
        /// Further variables for every service, over the launcher's own.
        public var extraEnvironment: [String: String] = [:]
        /// The simulated member clusters to start beside the control plane, with one agent each.
        public var fleet: FleetChoice = .none
        /// Names of files, such as a demo's results, that stay when a temporary data folder is
        /// cleared at exit. The folder stays too when any of them exists.
        public var keptFiles: Set<String> = []

        public init() {}
    }

    public enum FleetChoice: Sendable, Equatable {
        case none
        /// The fleet built from the bundled real node list, prices and latencies.
        case realData
        /// A fleet file of the member-cluster simulator.
        case file(URL)
    }

    /// `fetch.wait.max.ms` of every consumer of the development broker, in milliseconds. The
    /// mock cluster answers a fetch that finds no data only after this long, even when data
    /// arrives meanwhile, so it adds up to this much to each hop.
    static let developmentFetchWaitMs = 10

    static let services: [(name: String, executable: String)] = [
        ("history", "drods-history"), ("controller", "drods-controller"),
        ("scheduler", "drods-scheduler"), ("monitor", "drods-monitor"), ("gateway", "drods-gateway"),
    ]

    let options: Options
    let logger: Logger
    let stop = StopSignal()
    private var postgres: LocalPostgres?
    private var broker: DevelopmentBroker?
    var children: [ServiceProcess] = []
    /// The simulator and the agents, stopped before the services.
    var fleetChildren: [ServiceProcess] = []
    var fleetSummary = ""
    private var temporaryDirectory: URL?
    private var dataDirectoryLock: DataDirectoryLock?

    public init(options: Options, logger: Logger) {
        self.options = options
        self.logger = logger
    }

    /// Addresses of a started control plane and an admin token for it.
    public struct Endpoints: Sendable {
        public let gatewayURL: String
        public let adminToken: String
        /// Signs further tokens with the gateway's key, for benchmarks that act as agents.
        public let signer: TokenSigner
        public let postgresURL: String
        public let kafkaBrokers: String
        /// The folder with the state, the logs and, with a fleet, the simulator's port and
        /// admin token files.
        public let dataDirectory: URL
    }

    /// Starts everything, with the fleet that `options.fleet` chooses, and waits until every
    /// service is ready, without printing the summary; for benchmarks and the demo, which
    /// drive the API. Call `shutdown()`.
    public func start() throws -> Endpoints {
        try lockDataDirectory()
        let environment = try startDependencies()
        try startServices(environment: environment)
        try waitUntilReady()
        try startFleet(environment: environment)
        let secret = try SecretFile.read(URL(fileURLWithPath: environment["DRODS_JWT_SECRET_FILE"]!))
        let token = try TokenSigner(hs256Secret: secret).sign(role: .admin, subject: "drods-bench", lifetime: 24 * 3600)
        return Endpoints(gatewayURL: "http://127.0.0.1:\(options.gatewayPort)", adminToken: token,
                         signer: TokenSigner(hs256Secret: secret),
                         postgresURL: environment["DRODS_POSTGRES_URL"]!,
                         kafkaBrokers: environment["DRODS_KAFKA_BROKERS"]!, dataDirectory: try dataDirectory())
    }

    /// Runs until a signal; returns the exit status.
    public func run() -> Int32 {
        installSignalHandlers()
        defer { shutdown() }
        do {
            try lockDataDirectory()
        } catch {
            // One plain sentence for the person at the terminal, not a log record.
            FileHandle.standardError.write(Data("drods: \(error)\n".utf8))
            return 1
        }
        do {
            let environment = try startDependencies()
            try startServices(environment: environment)
            try waitUntilReady()
            try startFleet(environment: environment)
            try printSummary(environment: environment)
        } catch {
            logger.error("drods up failed", [.error: String(describing: error)])
            return 1
        }

        while !stop.wait(seconds: 0.5) {
            if let failed = (children + fleetChildren).first(where: { !$0.isRunning }) {
                logger.error("service exited, stopping the control plane", [
                    .component: failed.name, "exit.status": String(failed.exitStatus),
                    "log": failed.logFile.path,
                ])
                FileHandle.standardError.write(Data((failed.logTail() + "\n").utf8))
                return 1
            }
        }
        return 0
    }

    // MARK: - Steps

    func dataDirectory() throws -> URL {
        if let temporaryDirectory { return temporaryDirectory }
        if let directory = options.dataDirectory {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            return directory.standardizedFileURL
        }
        let directory = URL(fileURLWithPath: "/var/tmp/drods-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        temporaryDirectory = directory
        return directory
    }

    /// Takes the data folder's lock before anything starts, so that a second launcher on the
    /// same folder stops with a message that names it instead of failing inside PostgreSQL.
    func lockDataDirectory() throws {
        guard dataDirectoryLock == nil else { return }
        dataDirectoryLock = try DataDirectoryLock.acquire(try dataDirectory(), checksPostgres: options.postgresURL == nil)
    }

    private func startDependencies() throws -> [String: String] {
        let data = try dataDirectory()
        let logs = data.appendingPathComponent("logs")
        try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)

        let postgresURL: String
        if let given = options.postgresURL {
            postgresURL = given
        } else {
            let server = LocalPostgres(options: .init(dataDirectory: data.appendingPathComponent("postgres")),
                                       logger: logger)
            try server.start()
            postgres = server
            try server.createDatabase("drods")
            postgresURL = server.url(database: "drods")
        }

        let brokers: String
        var kafkaSettings: [String: String] = [:]
        if let given = options.kafkaBrokers {
            brokers = given
        } else {
            // The mock cluster returns a fetch only after the full wait time, even when data arrives.
            kafkaSettings["DRODS_KAFKA_FETCH_WAIT_MAX_MS"] = String(Self.developmentFetchWaitMs)
            let started = try DevelopmentBroker(topics: Topics.all, logger: logger)
            broker = started
            brokers = started.bootstrapServers
            logger.info("development broker ready", ["kafka.brokers": brokers])
        }

        let secretFile = data.appendingPathComponent("jwt.secret")
        if !FileManager.default.fileExists(atPath: secretFile.path) {
            try SecretFile.writeRandom(to: secretFile, bytes: 48)
        }
        let credentialsKeyFile = data.appendingPathComponent("credentials.key")
        if !FileManager.default.fileExists(atPath: credentialsKeyFile.path) {
            try SecretFile.writeRandom(to: credentialsKeyFile, bytes: 32)
        }
        return kafkaSettings.merging([
            "DRODS_POSTGRES_URL": postgresURL,
            "DRODS_KAFKA_BROKERS": brokers,
            "DRODS_JWT_SECRET_FILE": secretFile.path,
            "DRODS_CREDENTIALS_KEY_FILE": credentialsKeyFile.path,
            "DRODS_LOG_LEVEL": options.logLevel,
        ]) { _, new in new }
    }

    private func startServices(environment: [String: String]) throws {
        let binaries = Self.executableDirectory()
        let data = try dataDirectory()
        var base = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("DRODS_") }
        base.merge(environment) { _, new in new }
        base["DRODS_GATEWAY_HOST"] = "127.0.0.1"
        base["DRODS_GATEWAY_PORT"] = String(options.gatewayPort)
        base.merge(options.extraEnvironment) { _, new in new }

        for service in Self.services {
            var variables = base
            variables["DRODS_INSTANCE_ID"] = "\(service.name)-1"
            let child = try ServiceProcess(
                name: service.name, executable: binaries.appendingPathComponent(service.executable),
                environment: variables,
                logFile: data.appendingPathComponent("logs/\(service.name).log"))
            try child.start()
            children.append(child)
            logger.info("started service", [.component: service.name, .pid: String(child.pid)])
        }
    }

    private func waitUntilReady() throws {
        let client = HTTPClient()
        let deadline = Date(timeIntervalSinceNow: options.readyTimeout)
        var pending = Set(children.map(\.name))
        while !pending.isEmpty {
            if stop.isStopped { throw LauncherError("interrupted while waiting for the services") }
            for child in children where pending.contains(child.name) {
                guard child.isRunning else {
                    FileHandle.standardError.write(Data((child.logTail() + "\n").utf8))
                    throw LauncherError("\(child.name) exited with status \(child.exitStatus) at start; "
                                        + "see \(child.logFile.path)")
                }
                guard let adminPort = child.adminPort else { continue }
                let response = try? client.request(method: "GET", url: "http://127.0.0.1:\(adminPort)/readyz",
                                                   timeout: 2)
                if response?.status == 200 {
                    pending.remove(child.name)
                    logger.info("service ready", [.component: child.name])
                }
            }
            if Date() > deadline {
                throw LauncherError("not ready after \(Int(options.readyTimeout)) s: "
                                    + pending.sorted().joined(separator: ", "))
            }
            stop.wait(seconds: 0.2)
        }
    }

    private func printSummary(environment: [String: String]) throws {
        let data = try dataDirectory()
        let secret = try SecretFile.read(URL(fileURLWithPath: environment["DRODS_JWT_SECRET_FILE"]!))
        let token = try TokenSigner(hs256Secret: secret).sign(role: .admin, subject: "drods-up-admin",
                                                              lifetime: 7 * 24 * 3600)
        let gateway = "http://127.0.0.1:\(options.gatewayPort)"
        let envFile = data.appendingPathComponent("drods.env")
        let lines = [
            "# Written by drods up; source it in a shell: . \(envFile.path)",
            "DRODS_URL=\(Self.shellQuote(gateway))",
            "DRODS_TOKEN=\(Self.shellQuote(token))",
            "DRODS_POSTGRES_URL=\(Self.shellQuote(environment["DRODS_POSTGRES_URL"]!))",
            "DRODS_KAFKA_BROKERS=\(Self.shellQuote(environment["DRODS_KAFKA_BROKERS"]!))",
            "export DRODS_URL DRODS_TOKEN DRODS_POSTGRES_URL DRODS_KAFKA_BROKERS",
        ]
        try SecretFile.write(lines.joined(separator: "\n") + "\n", to: envFile)

        var summary = "\nDRO-DS control plane is ready.\n"
        summary += "  gateway      \(gateway)\n"
        summary += "  kafka        \(environment["DRODS_KAFKA_BROKERS"]!)\n"
        summary += "  postgres     \(Redaction.url(environment["DRODS_POSTGRES_URL"]!))\n"
        for child in children {
            summary += "  \(child.name.padding(toLength: 12, withPad: " ", startingAt: 0)) "
                + "http://127.0.0.1:\(child.adminPort ?? 0)/readyz  log \(child.logFile.path)\n"
        }
        summary += "\nAn admin token and the addresses are in \(envFile.path):\n"
        summary += "  . \(envFile.path)\n"
        summary += "  curl -H \"Authorization: Bearer $DRODS_TOKEN\" $DRODS_URL/api/v1/clusters\n"
        summary += fleetSummary
        summary += "\nPress Ctrl-C to stop.\n"
        FileHandle.standardOutput.write(Data(summary.utf8))
    }

    // MARK: - Shutdown

    /// Makes SIGINT and SIGTERM raise `stop` instead of ending the process, and ignores
    /// SIGPIPE: with the output piped through `tee`, Ctrl-C ends `tee` too, and the next line
    /// written must not kill the launcher before it has stopped its children.
    func installSignalHandlers() {
        signal(SIGPIPE, SIG_IGN)
        for signalNumber in [SIGTERM, SIGINT] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler { [stop, logger] in
                logger.info("received signal, stopping the control plane", ["signal": String(signalNumber)])
                stop.stop()
            }
            source.resume()
            signalSources.append(source)
        }
    }

    private var signalSources: [DispatchSourceSignal] = []

    /// Stops the services in reverse start order, then the broker and PostgreSQL.
    public func shutdown() {
        for child in fleetChildren.reversed() {
            child.terminate(grace: 5)
        }
        // Reverse start order: the gateway stops taking requests first, the relay last.
        for child in children.reversed() {
            child.terminate(grace: 15)
            logger.info("stopped service", [.component: child.name, "exit.status": String(child.exitStatus)])
        }
        broker?.close()
        postgres?.stop()
        if let temporaryDirectory {
            Self.removeTemporaryDirectory(temporaryDirectory, keeping: options.keptFiles)
        }
        dataDirectoryLock?.release()
        dataDirectoryLock = nil
    }

    /// Removes everything in `directory` but the files named in `kept`, and the folder itself
    /// when none of those exists.
    static func removeTemporaryDirectory(_ directory: URL, keeping kept: Set<String>) {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        guard entries.contains(where: kept.contains) else {
            try? FileManager.default.removeItem(at: directory)
            return
        }
        for entry in entries where !kept.contains(entry) {
            try? FileManager.default.removeItem(at: directory.appendingPathComponent(entry))
        }
    }

    // MARK: - Helpers

    /// Returns the folder of the running `drods` executable, where SwiftPM puts the services too.
    static func executableDirectory() -> URL {
        let path = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: path).deletingLastPathComponent()
    }

    static func shellQuote(_ value: String) -> String {
        "'" + value.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
