import DRODSCore
import DRODSMessaging
import Foundation

/// The workers of an owner service that consume its command topic, apply each command once
/// through a `CommandProcessor` and send the reply.
///
/// Each worker is a member of the owner's consumer group with partitions of its own, and
/// handles the commands it has fetched for different resources in parallel
/// (`DRODS_COMMAND_PARALLELISM`). Commands are keyed by resource, so one resource's commands
/// stay on one partition and are handled in order.
public enum CommandWorker {
    public static func make(context: ServiceContext, topic: String, owner: String,
                            handlers: [String: any CommandHandler]) -> [Worker] {
        let processor = CommandProcessor(owner: owner, handlers: handlers, pool: context.pool,
                                         logger: context.logger)
        let configuration = context.configuration.kafka
        let metrics = context.metrics
        let parallelism = context.configuration.commandParallelism
        return (0..<context.configuration.commandWorkers).map { index in
            let logger = context.logger.with([.topic: topic, "worker": String(index)])
            return Worker(name: "commands-\(owner)-\(index)") { stop in
                do {
                    let server = try CommandServer(configuration: configuration, topic: topic,
                                                   groupID: "drods-\(owner)", logger: logger, metrics: metrics)
                    try server.run(stop: stop, parallelism: parallelism,
                                   batchHandler: { groups in processor.process(batch: groups) }) { command in
                        try processor.process(command)
                    }
                } catch {
                    logger.error("command consumer failed", [.error: String(describing: error)])
                }
            }
        }
    }
}
