import DRODSCore
import Foundation

/// The actor and the request behind an event, stored beside every event.
public struct EventMetadata: Codable, Equatable, Sendable {
    /// Subject of the token behind the request, or the name of the service that acted alone.
    public var actor: String
    public var correlationID: String
    /// Id of the command or event that directly caused this one.
    public var causationID: String?
    public var occurredAt: Date

    public init(actor: String, correlationID: String, causationID: String? = nil,
                occurredAt: Date = Date()) {
        self.actor = actor
        self.correlationID = correlationID
        self.causationID = causationID
        self.occurredAt = occurredAt
    }

    /// Encodes the metadata to the bytes `WireJSON.encode(self)` gives, without JSONEncoder:
    /// every appended event carries it.
    func wireJSON() throws -> Data {
        var members: [String: JSONValue] = [
            "actor": .string(actor),
            "correlationID": .string(correlationID),
            // The `.iso8601` date strategy of `WireJSON.encoder()` writes this format.
            "occurredAt": .string(occurredAt.formatted(.iso8601)),
        ]
        if let causationID { members["causationID"] = .string(causationID) }
        return try WireJSON.encode(JSONValue.object(members))
    }
}

/// An event to append. `data` must be a JSON document.
public struct NewEvent: Sendable {
    public var id: UUID
    public var type: String
    public var schemaVersion: Int
    public var data: JSONValue
    public var metadata: EventMetadata

    public init(id: UUID = UUID(), type: String, schemaVersion: Int = 1, data: JSONValue,
                metadata: EventMetadata) {
        self.id = id
        self.type = type
        self.schemaVersion = schemaVersion
        self.data = data
        self.metadata = metadata
    }
}

/// An event as stored in the log.
public struct StoredEvent: Sendable, Equatable {
    /// Global sequence number, assigned at insert. Unique and increasing in insert order, but
    /// not in commit order; tail the log by `position`, not by `seq`.
    public var seq: Int64
    public var id: UUID
    public var streamID: String
    public var streamVersion: Int
    public var type: String
    public var schemaVersion: Int
    /// The event's JSON document as stored (jsonb's text form).
    public var data: String
    /// The metadata's JSON document as stored.
    public var metadata: String
    public var position: LogPosition
    /// Commit-side time in ISO 8601 (UTC, microseconds), such as `2025-05-01T08:30:00.123456Z`.
    public var recordedAt: String

    public func decodeData<T: Decodable>(_ type: T.Type) throws -> T {
        try WireJSON.decode(type, from: Data(data.utf8))
    }

    /// Decodes the data through the `JSONValue` parser. The generic form above reaches only the
    /// generic `WireJSON.decode`, which goes through JSONDecoder.
    public func decodeData(_ type: JSONValue.Type) throws -> JSONValue {
        try WireJSON.decode(JSONValue.self, from: Data(data.utf8))
    }

    public func decodeMetadata() throws -> EventMetadata {
        try WireJSON.decode(EventMetadata.self, from: Data(metadata.utf8))
    }
}

/// A place in the log in the order readers tail it: by writing transaction id, then by
/// sequence number. Every transaction below the oldest one still running has finished, so a
/// reader that stays below that horizon never passes an event that commits later.
public struct LogPosition: Comparable, Hashable, Sendable, CustomStringConvertible {
    public var transactionID: UInt64
    public var seq: Int64

    public init(transactionID: UInt64, seq: Int64) {
        self.transactionID = transactionID
        self.seq = seq
    }

    /// Before the first event.
    public static let start = LogPosition(transactionID: 0, seq: 0)

    public static func < (lhs: LogPosition, rhs: LogPosition) -> Bool {
        (lhs.transactionID, lhs.seq) < (rhs.transactionID, rhs.seq)
    }

    public var description: String { "\(transactionID):\(seq)" }
}

/// The stream version an append expects to find, for optimistic concurrency.
public enum ExpectedVersion: Sendable, Equatable {
    /// Append whatever the current version is.
    case any
    /// The stream must not exist yet (a create).
    case noStream
    /// The stream must be exactly at this version (0 means empty, like `noStream`).
    case exact(Int)
}

/// The outcome of an append.
public struct AppendResult: Sendable, Equatable {
    /// Stream version after the append: the version of its last event.
    public var version: Int
    public var firstSeq: Int64
    public var lastSeq: Int64
    /// Tail position of the last event; a reader that has passed it has seen the whole append.
    public var lastPosition: LogPosition
}

/// Failures of the event store that callers act on. Anything else is a `PostgresError`.
public struct EventStoreError: Error, CustomStringConvertible, Sendable, Equatable {
    public struct Code: Hashable, Sendable {
        public let rawValue: String
        public static let wrongExpectedVersion = Code(rawValue: "wrong_expected_version")
        public static let notFirstWrite = Code(rawValue: "not_first_write")
        public static let emptyAppend = Code(rawValue: "empty_append")
    }

    public let code: Code
    public let streamID: String
    public let expected: ExpectedVersion?
    /// Version found in the stream when the expectation failed.
    public let actual: Int?
    public let message: String

    public var description: String { message }

    static func wrongVersion(_ streamID: String, expected: ExpectedVersion,
                             actual: Int) -> EventStoreError {
        EventStoreError(code: .wrongExpectedVersion, streamID: streamID, expected: expected,
                        actual: actual,
                        message: "stream \(streamID) is at version \(actual), expected \(expected)")
    }
}
