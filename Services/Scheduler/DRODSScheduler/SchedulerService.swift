import DRODSCore
import DRODSEventStore
import DRODSRuntime
import Foundation

/// The scheduler: owns bindings (scheduling tasks and placements), the only service that appends
/// their events. It consumes `drods.commands.scheduler`.
public enum SchedulerService {
    public static let name = "scheduler"
    public static let defaultAdminPort = 9103

    public static func makeRuntime(environment: Environment) throws -> ServiceRuntime {
        let configuration = try ServiceConfiguration.fromEnvironment(
            service: name, defaultAdminPort: defaultAdminPort, environment: environment)
        let logger = Logger(service: name, level: configuration.logLevel)
        return ServiceRuntime(configuration: configuration, logger: logger)
    }

    /// Command handlers by command type.
    public static let handlers: [String: any CommandHandler] = [
        CreateBindingHandler.commandType: CreateBindingHandler(),
    ]

    public static func workers(_ context: ServiceContext) throws -> [Worker] {
        let trigger = WorkloadTaskTrigger(store: context.store, postgresURL: context.configuration.postgresURL,
                                          logger: context.logger)
        // One scheduler acts at a time; a standby takes over when the leader's session ends.
        let election = LeaderElection(url: context.configuration.postgresURL, name: "scheduler",
                                      logger: context.logger)
        return [
            CommandWorker.make(context: context, topic: Topics.commandsScheduler, owner: name, handlers: handlers),
            Worker(name: "scheduler-election") { stop in
                election.run(stop: stop) { term in trigger.run(stop: term) }
            },
        ]
    }
}
