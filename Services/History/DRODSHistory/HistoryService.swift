import DRODSCore
import DRODSEventStore
import DRODSMessaging
import DRODSRuntime
import Foundation

/// The history service. It runs the relay from the event log to Kafka and the projections
/// into the read models the gateway serves. Each runs on exactly one instance, the holder of
/// an advisory lock, while other instances wait as standbys. It also stores audit records.
public enum HistoryService {
    public static let name = "history"
    public static let defaultAdminPort = 9105

    public static func makeRuntime(environment: Environment) throws -> ServiceRuntime {
        try ServiceRuntime(service: name, defaultAdminPort: defaultAdminPort, environment: environment)
    }

    public static func workers(_ context: ServiceContext) throws -> [Worker] {
        [try relayWorker(context), projectionsWorker(context), auditWorker(context)]
    }

    static func relayWorker(_ context: ServiceContext) throws -> Worker {
        // The relay sends a whole batch at once and waits for it, so a linger would only add
        // its time to every event's way to Kafka.
        var unbatched = context.configuration.kafka
        unbatched.lingerMs = 0
        let producer = try KafkaProducer(configuration: unbatched, logger: context.logger, metrics: context.metrics)
        try producer.loadMetadata(of: Topics.eventCategories.map { Topics.events(category: $0) })
        let relay = Relay(pool: context.pool, producer: producer,
                          postgresURL: context.configuration.postgresURL,
                          logger: context.logger, metrics: context.metrics)
        let election = LeaderElection(url: context.configuration.postgresURL, name: "relay", logger: context.logger)
        let metrics = context.metrics
        return Worker(name: "relay-election") { stop in
            election.run(stop: stop) { term in
                metrics.set("drods_relay_leader", help: "1 while this instance runs the relay.", to: 1)
                relay.run(stop: term)
                metrics.set("drods_relay_leader", help: "1 while this instance runs the relay.", to: 0)
            }
            producer.close()
        }
    }

    /// Projections run on one instance at a time, like the relay: two instances applying the
    /// same batch would race on the checkpoint. They share one tailer, so each event is read
    /// once and lands in every read model in one transaction.
    static func projectionsWorker(_ context: ServiceContext) -> Worker {
        let projections = [ResourceProjection.make(), BindingProjection.make(), FailureProjection.make(),
                           WorkProjection.make(), MemberStatusProjection.make()]
        let pool = context.pool
        let postgresURL = context.configuration.postgresURL
        let logger = context.logger
        let election = LeaderElection(url: postgresURL, name: "projections", logger: logger)
        return Worker(name: "projections-election") { stop in
            election.run(stop: stop) { term in
                let tailer = LogTailer(url: postgresURL, logger: logger.with([.projection: "read-models"]))
                do {
                    try Projection.run(projections, pool: pool, tailer: tailer, stop: term)
                } catch {
                    logger.error("projections stopped", [.error: String(describing: error)])
                }
            }
        }
    }

    static func auditWorker(_ context: ServiceContext) -> Worker {
        let kafka = context.configuration.kafka
        let pool = context.pool
        let logger = context.logger
        let metrics = context.metrics
        return Worker(name: "audit") { stop in
            do {
                let consumer = try KafkaConsumer(configuration: kafka, groupID: "drods-history-audit",
                                                 topics: [Topics.audit], logger: logger, metrics: metrics)
                try consumer.runBatches(stop: stop, maxBatch: 500) { messages in
                    try AuditRecorder.store(messages, pool: pool)
                }
            } catch {
                logger.error("audit consumer stopped", [.error: String(describing: error)])
            }
        }
    }
}
