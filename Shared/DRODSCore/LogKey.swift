/// Metadata keys used in log lines. One list keeps the names consistent across services, so
/// operators can filter every service's logs by the same key.
public struct LogKey: Hashable, Sendable, ExpressibleByStringLiteral {
    public let rawValue: String

    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }

    public static let error: LogKey = "error"
    public static let attempt: LogKey = "attempt"
    public static let instance: LogKey = "instance.id"
    public static let component: LogKey = "component"
    public static let address: LogKey = "address"
    public static let streamID: LogKey = "stream.id"
    public static let streamVersion: LogKey = "stream.version"
    public static let eventID: LogKey = "event.id"
    public static let eventType: LogKey = "event.type"
    public static let sequence: LogKey = "event.seq"
    public static let commandID: LogKey = "command.id"
    public static let commandType: LogKey = "command.type"
    public static let correlationID: LogKey = "correlation.id"
    public static let topic: LogKey = "kafka.topic"
    public static let partition: LogKey = "kafka.partition"
    public static let offset: LogKey = "kafka.offset"
    public static let group: LogKey = "kafka.group"
    public static let projection: LogKey = "projection.name"
    public static let lockKey: LogKey = "lock.key"
    public static let migration: LogKey = "migration.version"
    public static let requestID: LogKey = "request.id"
    public static let method: LogKey = "http.method"
    public static let path: LogKey = "http.path"
    public static let status: LogKey = "http.status"
    public static let durationMs: LogKey = "duration.ms"
    public static let count: LogKey = "count"
    public static let pid: LogKey = "process.id"
    public static let port: LogKey = "port"
}
