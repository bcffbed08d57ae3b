import DRODSCore
import DRODSEventStore
import DRODSMessaging
import DRODSRuntime
import Foundation

/// The history service: runs the relay from the event log to Kafka on exactly one instance
/// (the holder of the `relay` advisory lock; other instances wait as standbys), projects the
/// log into the read models the gateway serves, and stores audit records.
public enum HistoryService {
    public static let name = "history"
    public static let defaultAdminPort = 9105

    public static func makeRuntime(environment: Environment) throws -> ServiceRuntime {
        let configuration = try ServiceConfiguration.fromEnvironment(
            service: name, defaultAdminPort: defaultAdminPort, environment: environment)
        let logger = Logger(service: name, level: configuration.logLevel)
        return ServiceRuntime(configuration: configuration, logger: logger)
    }

    public static func workers(_ context: ServiceContext) throws -> [Worker] {
        let relay = Relay(pool: context.pool, producer: context.producer,
                          postgresURL: context.configuration.postgresURL,
                          logger: context.logger, metrics: context.metrics)
        let election = LeaderElection(url: context.configuration.postgresURL, name: "relay",
                                      logger: context.logger)
        let metrics = context.metrics
        let pool = context.pool
        let postgresURL = context.configuration.postgresURL
        let kafka = context.configuration.kafka
        let logger = context.logger
        let projections = [ResourceProjection.make(), BindingProjection.make(), FailureProjection.make()]
        // Projections run on one instance at a time, like the relay: two instances applying
        // the same batch would race on the checkpoint.
        let projectionElection = LeaderElection(url: postgresURL, name: "projections", logger: logger)
        let projectionWorker = Worker(name: "projections-election") { stop in
            projectionElection.run(stop: stop) { term in
                let threads = projections.map { projection in
                    let done = StopSignal()
                    Thread {
                        let tailer = LogTailer(url: postgresURL, logger: logger.with([.projection: projection.name]))
                        do {
                            try projection.run(pool: pool, tailer: tailer, stop: term)
                        } catch {
                            logger.error("projection stopped", [.projection: projection.name,
                                                                .error: String(describing: error)])
                        }
                        done.stop()
                    }.start()
                    return done
                }
                threads.forEach { $0.wait() }
            }
        }
        let audit = Worker(name: "audit") { stop in
            do {
                let consumer = try KafkaConsumer(configuration: kafka, groupID: "drods-history-audit",
                                                 topics: [Topics.audit], logger: logger, metrics: metrics)
                try consumer.run(stop: stop) { message in try AuditRecorder.store(message, pool: pool) }
            } catch {
                logger.error("audit consumer stopped", [.error: String(describing: error)])
            }
        }
        return [projectionWorker, audit,
            Worker(name: "relay-election") { stop in
                election.run(stop: stop) { term in
                    metrics.set("drods_relay_leader", help: "1 while this instance runs the relay.", to: 1)
                    relay.run(stop: term)
                    metrics.set("drods_relay_leader", help: "1 while this instance runs the relay.", to: 0)
                }
            },
        ]
    }
}
