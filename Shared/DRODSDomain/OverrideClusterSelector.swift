import DRODSCore

/// The clusters an override applies to. Both criteria must hold; an empty selector matches
/// every cluster.
public struct OverrideClusterSelector: Equatable, Hashable, Codable, Sendable {
    /// Cluster names, any of which matches; empty does not restrict.
    public var names: [String]
    /// Labels the cluster must all carry; empty does not restrict.
    public var labels: [String: String]

    public init(names: [String] = [], labels: [String: String] = [:]) {
        self.names = names
        self.labels = labels
    }

    public func matches(_ cluster: Cluster) -> Bool {
        if !names.isEmpty, !names.contains(cluster.name) { return false }
        return labels.allSatisfy { cluster.labels[$0.key] == $0.value }
    }

    public func jsonValue() -> JSONValue {
        var members: [String: JSONValue] = [:]
        if !names.isEmpty { members["names"] = .array(names.map(JSONValue.string)) }
        if !labels.isEmpty { members["labels"] = .object(labels.mapValues(JSONValue.string)) }
        return .object(members)
    }

    static func read(_ field: JSONField) -> OverrideClusterSelector? {
        guard let reader = field.object() else { return nil }
        reader.rejectUnknownFields(allowed: ["names", "labels"])
        let names = reader.optional("names")?.uniqueArray { $0.dnsLabel() } ?? []
        let labels = reader.optional("labels")?.labels() ?? [:]
        return OverrideClusterSelector(names: names, labels: labels)
    }
}
