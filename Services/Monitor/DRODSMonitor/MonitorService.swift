import DRODSCore
import DRODSEventStore
import DRODSMessaging
import DRODSRuntime
import Foundation

/// The monitor: owns health, water levels, failures and forecasts, the only service that appends
/// their events. It consumes `drods.commands.monitor`.
public enum MonitorService {
    public static let name = "monitor"
    public static let defaultAdminPort = 9104

    public static func makeRuntime(environment: Environment) throws -> ServiceRuntime {
        try ServiceRuntime(service: name, defaultAdminPort: defaultAdminPort, environment: environment)
    }

    /// Command handlers by command type.
    public static let handlers: [String: any CommandHandler] = [
        RecordClusterEventHandler.commandType: RecordClusterEventHandler(),
    ]

    /// Reads the monitor's own settings first, so that a bad one stops the process at start.
    public static func prepare(environment: Environment) throws -> @Sendable (ServiceContext) throws -> [Worker] {
        let timeout = try environment.double("DRODS_MONITOR_HEARTBEAT_TIMEOUT_S", default: 30, range: 1...3600)
        let interval = try environment.double("DRODS_MONITOR_CHECK_INTERVAL_S", default: 1, range: 0.1...60)
        return { context in try workers(context, heartbeatTimeout: timeout, checkInterval: interval) }
    }

    public static func workers(_ context: ServiceContext, heartbeatTimeout: Double = 30,
                               checkInterval: Double = 1) throws -> [Worker] {
        let kafka = context.configuration.kafka
        let pool = context.pool
        let logger = context.logger
        let metrics = context.metrics
        let liveView = Worker(name: "metrics") { stop in
            do {
                let consumer = try KafkaConsumer(configuration: kafka, groupID: "drods-monitor-metrics",
                                                 topics: [Topics.metricsRaw], logger: logger, metrics: metrics)
                try consumer.run(stop: stop) { message in try LiveView.store(message, pool: pool) }
            } catch {
                logger.error("metrics consumer stopped", [.error: String(describing: error)])
            }
        }
        let watch = HeartbeatWatch(pool: pool, store: context.store, policy: HeartbeatPolicy(timeout: heartbeatTimeout),
                                   interval: checkInterval, logger: logger)
        // One instance judges heartbeats at a time, so a change is recorded once.
        let election = LeaderElection(url: context.configuration.postgresURL, name: "heartbeats", logger: logger)
        let heartbeats = Worker(name: "heartbeats-election") { stop in
            election.run(stop: stop) { term in watch.run(stop: term) }
        }
        return CommandWorker.make(context: context, topic: Topics.commandsMonitor, owner: name, handlers: handlers)
            + [liveView, heartbeats]
    }
}
