import Foundation

/// An event as published on the `drods.events.*` topics: the public contract for downstream
/// consumers. The Kafka key is `streamID`, so one stream's events stay in order on one
/// partition. After a relay crash an event can arrive twice; consumers dedupe by `seq`, or by
/// `streamID` and `streamVersion`.
public struct EventEnvelope: Codable, Equatable, Sendable {
    public var seq: Int64
    public var eventID: String
    public var streamID: String
    public var streamVersion: Int
    public var type: String
    public var schemaVersion: Int
    public var recordedAt: String
    public var data: JSONValue
    public var metadata: JSONValue

    public init(seq: Int64, eventID: String, streamID: String, streamVersion: Int, type: String,
                schemaVersion: Int, recordedAt: String, data: JSONValue, metadata: JSONValue) {
        self.seq = seq
        self.eventID = eventID
        self.streamID = streamID
        self.streamVersion = streamVersion
        self.type = type
        self.schemaVersion = schemaVersion
        self.recordedAt = recordedAt
        self.data = data
        self.metadata = metadata
    }
}

/// Kafka header names set on every published event, so consumers can filter and dedupe
/// without decoding the value.
public enum EventHeaders {
    public static let seq = "drods-seq"
    public static let eventID = "drods-event-id"
    public static let eventType = "drods-event-type"
    public static let streamVersion = "drods-stream-version"
}
