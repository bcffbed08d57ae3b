import Foundation

/// A command sent to the service that owns an aggregate. The owner sends a `ReplyEnvelope` on
/// `replyTopic` for every command it receives. A command id it has already handled gets the
/// same reply again and changes nothing.
public struct CommandEnvelope: Codable, Equatable, Sendable {
    /// Unique per command; the owner dedupes redelivered commands by this id.
    public var id: String
    /// Ties the reply (and the events the command causes) to the request that started it.
    public var correlationID: String
    /// Command name such as `RegisterCluster`.
    public var type: String
    /// Subject of the token that sent the request, or `system` for internal commands.
    public var actor: String
    public var replyTopic: String
    public var issuedAt: Date
    public var payload: JSONValue

    public init(id: String = UUID().uuidString.lowercased(), correlationID: String, type: String,
                actor: String, replyTopic: String, issuedAt: Date = Date(), payload: JSONValue) {
        self.id = id
        self.correlationID = correlationID
        self.type = type
        self.actor = actor
        self.replyTopic = replyTopic
        self.issuedAt = issuedAt
        self.payload = payload
    }
}

/// The owner's reply to a command.
public struct ReplyEnvelope: Codable, Equatable, Sendable {
    public enum Outcome: String, Codable, Sendable {
        case accepted
        case rejected
    }

    public var commandID: String
    public var correlationID: String
    public var outcome: Outcome
    /// Error code in the API's vocabulary (for example `CLUSTER_ALREADY_EXISTS`) when rejected.
    public var code: String?
    public var message: String?
    public var details: JSONValue?
    /// Stream version after the command's events were appended.
    public var version: Int?
    /// Sequence number of the last event appended, so readers can wait for projections to
    /// reach it before they serve a read.
    public var sequence: Int64?
    /// Writing transaction of the last event; with `sequence`, the tail position that
    /// projections must reach before the write is visible to reads.
    public var transactionID: UInt64?
    public var result: JSONValue?

    public init(commandID: String, correlationID: String, outcome: Outcome, code: String? = nil,
                message: String? = nil, details: JSONValue? = nil, version: Int? = nil,
                sequence: Int64? = nil, transactionID: UInt64? = nil, result: JSONValue? = nil) {
        self.commandID = commandID
        self.correlationID = correlationID
        self.outcome = outcome
        self.code = code
        self.message = message
        self.details = details
        self.version = version
        self.sequence = sequence
        self.transactionID = transactionID
        self.result = result
    }
}
