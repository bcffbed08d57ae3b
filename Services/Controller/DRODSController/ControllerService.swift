import DRODSCore
import DRODSEventStore
import DRODSRuntime
import Foundation

/// The controller: owns clusters, policies, workloads and works, the only service that appends
/// their events. It consumes `drods.commands.controller`.
public enum ControllerService {
    public static let name = "controller"
    public static let defaultAdminPort = 9102

    public static func makeRuntime(environment: Environment) throws -> ServiceRuntime {
        try ServiceRuntime(service: name, defaultAdminPort: defaultAdminPort, environment: environment)
    }

    /// Command handlers by command type.
    public static let handlers: [String: any CommandHandler] = {
        let definitions = ResourceDefinitions.all()
        return [
            ResourceCommandHandler.Operation.create.rawValue: ResourceCommandHandler(operation: .create, definitions: definitions),
            ResourceCommandHandler.Operation.patch.rawValue: ResourceCommandHandler(operation: .patch, definitions: definitions),
            ResourceCommandHandler.Operation.delete.rawValue: ResourceCommandHandler(operation: .delete, definitions: definitions),
            ClusterSyncHandler.Kind.configs.rawValue: ClusterSyncHandler(.configs),
            ClusterSyncHandler.Kind.status.rawValue: ClusterSyncHandler(.status),
        ]
    }()

    public static func workers(_ context: ServiceContext) throws -> [Worker] {
        let planner = WorkPlanner(store: context.store, postgresURL: context.configuration.postgresURL,
                                  logger: context.logger)
        // Works are planned by one instance at a time; a standby takes over when it dies.
        let election = LeaderElection(url: context.configuration.postgresURL, name: "works", logger: context.logger)
        return CommandWorker.make(context: context, topic: Topics.commandsController, owner: name, handlers: handlers) + [
            Worker(name: "works-election") { stop in
                election.run(stop: stop) { term in planner.run(stop: term) }
            },
        ]
    }
}
