import DRODSCore
import DRODSEventStore

extension ReplyEnvelope {
    /// Returns an accepted reply for `command` that points at the append's last event.
    public static func accepted(_ command: CommandEnvelope, append: AppendResult,
                                result: JSONValue? = nil) -> ReplyEnvelope {
        ReplyEnvelope(commandID: command.id, correlationID: command.correlationID, outcome: .accepted,
                      version: append.version, sequence: append.lastSeq,
                      transactionID: append.lastPosition.transactionID, result: result)
    }

    /// Returns a rejected reply with an API error code, a message for the client and details.
    public static func rejected(_ command: CommandEnvelope, code: String, message: String,
                                details: [String: JSONValue] = [:]) -> ReplyEnvelope {
        ReplyEnvelope(commandID: command.id, correlationID: command.correlationID, outcome: .rejected,
                      code: code, message: message, details: .object(details))
    }
}
