import DRODSCore
import Foundation

/// An event a cluster agent pushes (`POST /api/v1/metrics/events`), such as a node that
/// stopped being ready.
public struct ClusterEventReport: Equatable, Codable, Sendable {
    public enum EventType: String, CaseIterable, Codable, Sendable {
        case nodeNotReady = "NodeNotReady"
        case nodeReady = "NodeReady"
        case memoryPressure = "MemoryPressure"
        case diskPressure = "DiskPressure"
        case pidPressure = "PIDPressure"
        case networkUnavailable = "NetworkUnavailable"
        case workloadFailed = "WorkloadFailed"
        /// Anything else; `reason` then names it.
        case custom = "Custom"
    }

    public enum Severity: String, CaseIterable, Codable, Sendable {
        case info
        case warning
        case critical
    }

    public static let maxMessageLength = 1024
    public static let maxReasonLength = 128

    public var cluster: String
    public var type: EventType
    public var severity: Severity
    /// At most 1024 characters.
    public var message: String
    public var timestamp: Date
    /// The node concerned, a DNS-1123 subdomain.
    public var node: String?
    /// A short machine-readable cause in CamelCase, such as `KubeletStopped`; required for
    /// `Custom` events.
    public var reason: String?

    public init(cluster: String, type: EventType, severity: Severity, message: String,
                timestamp: Date, node: String? = nil, reason: String? = nil) {
        self.cluster = cluster
        self.type = type
        self.severity = severity
        self.message = message
        self.timestamp = timestamp
        self.node = node
        self.reason = reason
    }

    public static func validate(_ input: JSONValue) throws -> ClusterEventReport {
        try validate(input, now: Date())
    }

    /// Validates an event; `now` is the server time that bounds the timestamp.
    public static func validate(_ input: JSONValue, now: Date) throws -> ClusterEventReport {
        let collector = ErrorCollector()
        guard let reader = ObjectReader.document(input, collector: collector) else {
            throw collector.failure()
        }
        reader.rejectUnknownFields(
            allowed: ["cluster", "type", "severity", "message", "timestamp", "node", "reason"])

        let cluster = reader.required("cluster")?.dnsLabel()
        let type = reader.required("type")?.enumeration(EventType.self)
        let severity = reader.required("severity")?.enumeration(Severity.self)
        let message = reader.required("message")?.string(maxLength: maxMessageLength)
        let timestamp = ReportClock.readTimestamp(reader.required("timestamp"), now: now)
        let node = reader.optional("node")?.dnsSubdomain()
        var reason: String?
        if let field = reader.optional("reason"), let text = field.string(maxLength: maxReasonLength) {
            if isCamelCaseWord(text) {
                reason = text
            } else {
                field.reject("must be a CamelCase word of letters and digits, such as KubeletStopped")
            }
        } else if type == .custom, !reader.contains("reason") {
            reader.reject("reason", "is required for Custom events to say what happened")
        }

        guard collector.isEmpty, let cluster, let type, let severity, let message, let timestamp else {
            throw collector.failure()
        }
        return ClusterEventReport(cluster: cluster, type: type, severity: severity, message: message,
                                  timestamp: timestamp, node: node, reason: reason)
    }

    public func jsonValue() -> JSONValue {
        var members: [String: JSONValue] = [
            "cluster": .string(cluster),
            "type": .string(type.rawValue),
            "severity": .string(severity.rawValue),
            "message": .string(message),
            "timestamp": .string(Timestamp.format(timestamp)),
        ]
        if let node { members["node"] = .string(node) }
        if let reason { members["reason"] = .string(reason) }
        return .object(members)
    }

    private static func isCamelCaseWord(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, ("A"..."Z").contains(first) else { return false }
        return text.unicodeScalars.allSatisfy {
            ("A"..."Z").contains($0) || ("a"..."z").contains($0) || ("0"..."9").contains($0)
        }
    }
}
