import DRODSCore
import DRODSEventStore
import DRODSHTTP
import DRODSMessaging
import Foundation

/// Runs one service process: admin endpoints first, then PostgreSQL (with migrations) and
/// Kafka with bounded retries, then the service's workers until SIGTERM or `stop()`, then an
/// orderly shutdown that lets workers finish and flushes the producer.
public final class ServiceRuntime: @unchecked Sendable {
    public let configuration: ServiceConfiguration
    public let logger: Logger
    public let metrics = MetricsRegistry()
    public let readiness = Readiness()
    private let stopSignal = StopSignal()
    private let lock = NSLock()
    private var admin: AdminServer?
    private var signalSources: [DispatchSourceSignal] = []

    public init(configuration: ServiceConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger.with([.instance: configuration.instanceID])
    }

    /// Reads the service's settings from `environment` and creates its runtime with a logger
    /// at the configured level.
    public convenience init(service: String, defaultAdminPort: Int, environment: Environment) throws {
        let configuration = try ServiceConfiguration.fromEnvironment(
            service: service, defaultAdminPort: defaultAdminPort, environment: environment)
        self.init(configuration: configuration, logger: Logger(service: service, level: configuration.logLevel))
    }

    /// The admin port actually bound (useful when configured as 0), once `run` has started it.
    public var adminPort: Int? { lock.withLock { admin?.port } }

    /// Requests shutdown; `run` returns once the workers have finished.
    public func stop() { stopSignal.stop() }

    /// Turns SIGTERM and SIGINT into `stop()`. Only the process's `main` calls this.
    public func installSignalHandlers() {
        for signalNumber in [SIGTERM, SIGINT] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler { [weak self] in
                self?.logger.info("received signal, shutting down", ["signal": String(signalNumber)])
                self?.stop()
            }
            source.resume()
            signalSources.append(source)
        }
    }

    /// Starts the service and blocks until it has stopped. Returns the process exit status:
    /// 0 after a clean stop, 1 when a dependency stayed unreachable or setup failed.
    public func run(prepare: (ServiceContext) throws -> [Worker]) -> Int32 {
        // Not ready until the workers run, even once PostgreSQL and Kafka are reachable.
        readiness.set("workers", false)
        logger.info("starting", [
            "postgres.url": Redaction.url(configuration.postgresURL),
            "kafka.brokers": configuration.kafka.brokers,
        ])
        do {
            try startAdmin()
        } catch {
            logger.error("admin server failed to start", [.error: String(describing: error),
                                                          .port: String(configuration.adminPort)])
            return 1
        }
        defer { stopAdmin() }

        let pool = ConnectionPool(url: configuration.postgresURL,
                                  maxConnections: configuration.databasePoolSize)
        defer { pool.close() }
        let producer: KafkaProducer
        do {
            try connectPostgres(pool: pool)
            producer = try connectKafka()
        } catch let error as RetryExhaustedError where error.stopped {
            logger.info("stopped before dependencies were reachable")
            return 0
        } catch {
            logger.error("startup failed", [.error: String(describing: error)])
            return 1
        }
        defer { producer.close() }

        let context = ServiceContext(configuration: configuration, logger: logger, metrics: metrics,
                                     pool: pool, producer: producer, stop: stopSignal,
                                     readiness: readiness)
        let workers: [Worker]
        do {
            workers = try prepare(context)
        } catch {
            logger.error("service setup failed", [.error: String(describing: error)])
            return 1
        }

        let finished = startWorkers(workers + [databaseWatch(pool: pool)])
        readiness.set("workers", true)
        logger.info("ready", [.count: String(workers.count), .port: String(adminPort ?? 0)])

        stopSignal.wait()
        readiness.set("workers", false)
        logger.info("stopping", [.count: String(workers.count)])
        let deadline = Date(timeIntervalSinceNow: configuration.shutdownGrace)
        for (worker, done) in finished where !done.wait(seconds: deadline.timeIntervalSinceNow) {
            logger.warning("worker did not finish within the shutdown grace period",
                           [.component: worker, "grace.s": String(configuration.shutdownGrace)])
        }
        logger.info("stopped")
        return 0
    }

    // MARK: - Steps

    private func startAdmin() throws {
        let readiness = self.readiness
        let server = try AdminServer(port: configuration.adminPort, host: configuration.adminHost,
                                     metrics: metrics, logger: logger) {
            let checks = readiness.snapshot
            guard !checks.isEmpty else { return ["startup": .notReady("starting")] }
            return checks.mapValues { $0 ? ReadinessCheck(isReady: true) : .notReady("failing") }
        }
        lock.withLock { admin = server }
        if let file = configuration.adminPortFile {
            try PortFile.write(server.port, to: file)
        }
        logger.info("admin endpoints listening", [.address: "\(configuration.adminHost):\(server.port)"])
    }

    private func stopAdmin() {
        let server = lock.withLock { admin }
        server?.stop()
    }

    private func connectPostgres(pool: ConnectionPool) throws {
        readiness.set("postgres", false)
        _ = try configuration.startupRetry.run("PostgreSQL at \(Redaction.url(configuration.postgresURL))",
                                           logger: logger, stop: stopSignal) {
            try pool.withConnection { try Migrations.apply(on: $0, logger: logger) }
        }
        readiness.set("postgres", true)
        logger.info("connected to PostgreSQL")
    }

    private func connectKafka() throws -> KafkaProducer {
        readiness.set("kafka", false)
        let producer = try configuration.startupRetry.run("Kafka at \(configuration.kafka.brokers)",
                                                          logger: logger, stop: stopSignal) {
            try TopicAdmin.ensureTopics(Topics.all, configuration: configuration.kafka, logger: logger)
            let producer = try KafkaProducer(configuration: configuration.kafka, logger: logger, metrics: metrics)
            try producer.loadMetadata(of: Topics.all)
            return producer
        }
        readiness.set("kafka", true)
        logger.info("connected to Kafka")
        return producer
    }

    private func startWorkers(_ workers: [Worker]) -> [(String, StopSignal)] {
        workers.map { worker in
            let done = StopSignal()
            let stop = stopSignal
            let thread = Thread {
                worker.body(stop)
                done.stop()
            }
            thread.name = worker.name
            thread.start()
            return (worker.name, done)
        }
    }

    /// Keeps the `postgres` readiness check current, so a load balancer stops sending
    /// requests to an instance that lost its database.
    private func databaseWatch(pool: ConnectionPool) -> Worker {
        let readiness = self.readiness
        let logger = self.logger
        return Worker(name: "database-watch") { stop in
            var wasHealthy = true
            while !stop.wait(seconds: 2) {
                let healthy = (try? pool.withConnection { try $0.query("SELECT 1") }) != nil
                readiness.set("postgres", healthy)
                if healthy != wasHealthy {
                    if healthy {
                        logger.info("PostgreSQL reachable again")
                    } else {
                        logger.error("PostgreSQL unreachable")
                    }
                    wasHealthy = healthy
                }
            }
        }
    }
}
