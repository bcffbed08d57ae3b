import DRODSCore
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

    public static func workers(_ context: ServiceContext) throws -> [Worker] {
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
        return CommandWorker.make(context: context, topic: Topics.commandsMonitor, owner: name, handlers: handlers)
            + [liveView]
    }
}
