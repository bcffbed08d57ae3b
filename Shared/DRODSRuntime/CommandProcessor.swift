import DRODSCore
import DRODSEventStore
import Foundation

/// Handles one command type for its owner, inside the transaction the processor opened.
public protocol CommandHandler: Sendable {
    /// Validates the command against the owner's state, appends its events (as the
    /// transaction's first write) and returns the reply.
    func handle(_ command: CommandEnvelope, on connection: PQConnection) throws -> ReplyEnvelope

    /// Returns the reply when the append lost a race with a concurrent command on the same
    /// stream, or nil for the generic `CONFLICT`.
    func conflictReply(for command: CommandEnvelope, error: EventStoreError) -> ReplyEnvelope?
}

extension CommandHandler {
    public func conflictReply(for command: CommandEnvelope, error: EventStoreError) -> ReplyEnvelope? { nil }
}

/// The owner side of command handling: each command is applied at most once. The reply is
/// stored with the command id in the same transaction as the command's events, so a
/// redelivered command gets the stored reply and appends nothing.
public final class CommandProcessor: Sendable {
    public let owner: String
    let handlers: [String: any CommandHandler]
    let pool: ConnectionPool
    let logger: Logger

    public init(owner: String, handlers: [String: any CommandHandler], pool: ConnectionPool,
                logger: Logger) {
        self.owner = owner
        self.handlers = handlers
        self.pool = pool
        self.logger = logger
    }

    public func process(_ command: CommandEnvelope) throws -> ReplyEnvelope {
        let scoped = logger.with([.commandID: command.id, .commandType: command.type,
                                  .correlationID: command.correlationID])
        if let stored = try storedReply(for: command.id) {
            scoped.info("command already processed, sending the stored reply")
            return stored
        }

        do {
            let reply = try pool.withConnection { connection in
                try connection.transaction { transaction -> ReplyEnvelope in
                    let reply = try apply(command, on: transaction)
                    let encoded = String(decoding: try WireJSON.encode(reply), as: UTF8.self)
                    try transaction.query(
                        "INSERT INTO processed_commands (command_id, owner, reply) VALUES ($1, $2, $3::jsonb)",
                        [command.id, owner, encoded])
                    return reply
                }
            }
            scoped.info("command processed", ["outcome": reply.outcome.rawValue, "code": reply.code ?? ""])
            return reply
        } catch let error as PostgresError
            where error.code == .uniqueViolation && error.constraint == "processed_commands_pkey" {
            // Another instance processed the same delivery concurrently and committed first.
            if let stored = try storedReply(for: command.id) { return stored }
            throw error
        } catch let error as EventStoreError where error.code == .wrongExpectedVersion {
            // The handler read the state and a concurrent command changed it before the
            // append. The transaction rolled back and nothing is stored, so a redelivery runs
            // the handler again and the client may retry.
            scoped.info("command conflicted with a concurrent change", [.streamID: error.streamID])
            if let reply = handlers[command.type]?.conflictReply(for: command, error: error) { return reply }
            return ReplyEnvelope(commandID: command.id, correlationID: command.correlationID,
                                 outcome: .rejected, code: "CONFLICT",
                                 message: "the resource changed concurrently; retry the request",
                                 details: .object(["stream": .string(error.streamID)]))
        }
    }

    private func apply(_ command: CommandEnvelope, on connection: PQConnection) throws -> ReplyEnvelope {
        guard let handler = handlers[command.type] else {
            return ReplyEnvelope(commandID: command.id, correlationID: command.correlationID,
                                 outcome: .rejected, code: "UNSUPPORTED_COMMAND",
                                 message: "\(owner) does not handle command type \(command.type)",
                                 details: .object(["type": .string(command.type)]))
        }
        return try handler.handle(command, on: connection)
    }

    private func storedReply(for commandID: String) throws -> ReplyEnvelope? {
        try pool.withConnection { connection in
            let result = try connection.query(
                "SELECT reply::text FROM processed_commands WHERE command_id = $1", [commandID])
            guard let text = result.scalar else { return nil }
            return try WireJSON.decode(ReplyEnvelope.self, from: Data(text.utf8))
        }
    }
}
