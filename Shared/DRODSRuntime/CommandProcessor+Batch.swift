import DRODSCore
import DRODSEventStore
import Foundation

/// The outcome of staging one command, before anything is written.
public enum StagedCommand: Sendable {
    /// A reply that needs no events, such as a validation error.
    case reply(ReplyEnvelope)
    /// Events to append, and the reply to send once they are appended.
    case append(StreamAppend, reply: @Sendable (AppendResult) -> ReplyEnvelope)
}

/// A handler whose commands can share one transaction with other commands: it decides from
/// the command alone, without reading state, so a whole batch appends with one statement.
public protocol BatchableCommandHandler: CommandHandler {
    /// Validates the command and returns its events or its reply. Throws only for an
    /// internal failure.
    func stage(_ command: CommandEnvelope) throws -> StagedCommand
}

extension BatchableCommandHandler {
    /// Applies the staged command on the single-command path, with the same outcome as the
    /// batch path.
    public func handle(_ command: CommandEnvelope, on connection: PQConnection) throws -> ReplyEnvelope {
        switch try stage(command) {
        case .reply(let reply):
            return reply
        case .append(let append, let reply):
            let result = try EventStore.append(on: connection, to: append.streamID, expected: append.expected,
                                               events: append.events)
            return reply(result)
        }
    }
}

extension CommandProcessor {
    /// Applies the commands of `groups` whose handlers are batchable in one transaction: one
    /// query for stored replies, one multi-stream append, one insert of the processed
    /// commands, one commit. Each group contains one message key's commands in order.
    ///
    /// Returns the replies by command id, either for every command of a group or for none of
    /// it, so a caller that runs the remaining groups one command at a time keeps each key's
    /// order. Returns no replies when the batch cannot go together (a stream twice, a version
    /// conflict, a command processed concurrently elsewhere); those commands then take the
    /// single-command path, which tells the conflicts apart.
    public func process(batch groups: [[CommandEnvelope]]) -> [String: ReplyEnvelope] {
        let commands = groups.filter { group in
            group.allSatisfy { handlers[$0.type] is any BatchableCommandHandler }
        }.flatMap { $0 }
        // A single command gains nothing here and keeps the single-command path's logging.
        guard commands.count > 1 else { return [:] }
        do {
            return try pool.withConnection { connection in
                try processTogether(commands, on: connection) ?? [:]
            }
        } catch {
            logger.info("command batch not applied together; handling its commands one by one", [
                .count: String(commands.count), .error: String(describing: error),
            ])
            return [:]
        }
    }

    /// Returns nil when the batch must go one by one.
    private func processTogether(_ commands: [CommandEnvelope],
                                 on connection: PQConnection) throws -> [String: ReplyEnvelope]? {
        var replies = try storedReplies(for: commands.map(\.id), on: connection)
        var fresh: [(CommandEnvelope, ReplyEnvelope)] = []
        var appends: [StreamAppend] = []
        var pending: [(CommandEnvelope, StreamAppend, @Sendable (AppendResult) -> ReplyEnvelope)] = []
        var streams: Set<String> = []
        var ids: Set<String> = []
        for command in commands where replies[command.id] == nil {
            guard ids.insert(command.id).inserted,
                  let handler = handlers[command.type] as? any BatchableCommandHandler else { return nil }
            switch try handler.stage(command) {
            case .reply(let reply):
                fresh.append((command, reply))
            case .append(let append, let reply):
                // Two appends to one stream in one statement would both read the same version.
                guard streams.insert(append.streamID).inserted else { return nil }
                appends.append(append)
                pending.append((command, append, reply))
            }
        }
        guard !fresh.isEmpty || !pending.isEmpty else { return replies }

        let applied: [(CommandEnvelope, ReplyEnvelope)]
        do {
            applied = try connection.transaction { transaction in
                // Throwing rolls the transaction back, so nothing of the batch is written.
                guard let results = try EventStore.append(on: transaction, appends) else { throw VersionConflict() }
                var applied = fresh
                for (command, append, reply) in pending {
                    guard let result = results[append.streamID] else { throw VersionConflict() }
                    applied.append((command, reply(result)))
                }
                try storeReplies(applied, on: transaction)
                return applied
            }
        } catch is VersionConflict {
            return nil
        }
        for (command, reply) in applied { replies[command.id] = reply }
        logger.debug("command batch processed", [.count: String(applied.count)])
        return replies
    }

    /// A stream of the batch was not at its expected version.
    private struct VersionConflict: Error {}

    private func storedReplies(for commandIDs: [String], on connection: PQConnection) throws -> [String: ReplyEnvelope] {
        // `= ANY` of an array uses the primary key, whereas `IN (SELECT
        // jsonb_array_elements_text(...))` was planned as a hash join over a sequential scan of
        // every stored reply.
        let list = String(decoding: try WireJSON.encode(commandIDs), as: UTF8.self)
        let result = try connection.preparedQuery("""
            SELECT command_id, reply::text FROM processed_commands
            WHERE command_id = ANY (ARRAY(SELECT jsonb_array_elements_text($1::jsonb)))
            """, [list])
        var replies: [String: ReplyEnvelope] = [:]
        for row in result.rows {
            guard let id = row[0], let text = row[1] else { continue }
            replies[id] = try WireJSON.decode(ReplyEnvelope.self, from: Data(text.utf8))
        }
        return replies
    }

    private func storeReplies(_ replies: [(CommandEnvelope, ReplyEnvelope)], on connection: PQConnection) throws {
        var text = "["
        for (index, (command, reply)) in replies.enumerated() {
            if index > 0 { text += "," }
            text += "{\"id\":" + JSONString.quote(command.id) + ",\"reply\":"
            text += String(decoding: try WireJSON.encode(reply), as: UTF8.self) + "}"
        }
        text += "]"
        try connection.preparedQuery("""
            INSERT INTO processed_commands (command_id, owner, reply)
            SELECT r->>'id', $2, r->'reply' FROM jsonb_array_elements($1::jsonb) AS r
            """, [text, owner])
    }
}
