import DRODSCore
import DRODSDomain
import DRODSEventStore
import DRODSMessaging
import DRODSRuntime
import Foundation

/// The scheduler: owns bindings (scheduling tasks and placements), the only service that appends
/// their events. It consumes `drods.commands.scheduler`.
public enum SchedulerService {
    public static let name = "scheduler"
    public static let defaultAdminPort = 9103

    public static func makeRuntime(environment: Environment) throws -> ServiceRuntime {
        try ServiceRuntime(service: name, defaultAdminPort: defaultAdminPort, environment: environment)
    }

    /// Command handlers by command type.
    public static let handlers: [String: any CommandHandler] = [
        CreateBindingHandler.commandType: CreateBindingHandler(),
    ]

    /// Reads the scheduler's own settings first, so that a bad one stops the process at start.
    public static func prepare(environment: Environment) throws -> @Sendable (ServiceContext) throws -> [Worker] {
        let settings = try SchedulerSettings.fromEnvironment(environment)
        return { context in try workers(context, settings: settings) }
    }

    public static func workers(_ context: ServiceContext,
                               settings: SchedulerSettings = SchedulerSettings()) throws -> [Worker] {
        let loop = SchedulerLoop(store: context.store, postgresURL: context.configuration.postgresURL,
                                 settings: settings, logger: context.logger)
        let kafka = context.configuration.kafka
        let logger = context.logger
        let metrics = context.metrics
        // One scheduler acts at a time; a standby takes over when the leader's session ends.
        let election = LeaderElection(url: context.configuration.postgresURL, name: "scheduler",
                                      logger: context.logger)
        // Every instance reads every load report, so a standby that takes over has a current
        // view. The reader is positioned at each partition's end here, before the service
        // reports ready. A consumer group would get its partitions only after the group's join
        // (seconds on the development broker), and starting at the latest offset it would miss
        // the reports sent meanwhile.
        let reports = try KafkaConsumer(configuration: kafka, readerOf: Topics.metricsRaw, startingAt: .end,
                                        logger: logger, metrics: metrics)
        return CommandWorker.make(context: context, topic: Topics.commandsScheduler, owner: name, handlers: handlers) + [
            Worker(name: "scheduler-election") { stop in
                election.run(stop: stop) { term in loop.run(stop: term) }
            },
            Worker(name: "load-reports") { stop in
                do {
                    try reports.run(stop: stop) { message in
                        do {
                            let report = try MetricsReport.validate(try WireJSON.decode(JSONValue.self, from: message.value))
                            loop.fleet.record(report)
                        } catch {
                            logger.warning("load report ignored", [.error: String(describing: error), .offset: String(message.offset)])
                        }
                    }
                } catch {
                    logger.error("load report consumer stopped", [.error: String(describing: error)])
                }
            },
        ]
    }
}
