import DRODSCore
import DRODSMessaging
import Foundation

/// The worker of an owner service that consumes its command topic, applies each command once
/// through a `CommandProcessor` and sends the reply.
public enum CommandWorker {
    public static func make(context: ServiceContext, topic: String, owner: String,
                            handlers: [String: any CommandHandler]) -> Worker {
        let processor = CommandProcessor(owner: owner, handlers: handlers, pool: context.pool,
                                         logger: context.logger)
        let configuration = context.configuration.kafka
        let logger = context.logger.with([.topic: topic])
        let metrics = context.metrics
        return Worker(name: "commands-\(owner)") { stop in
            do {
                let server = try CommandServer(configuration: configuration, topic: topic,
                                               groupID: "drods-\(owner)", logger: logger, metrics: metrics)
                try server.run(stop: stop) { command in try processor.process(command) }
            } catch {
                logger.error("command consumer failed", [.error: String(describing: error)])
            }
        }
    }
}
