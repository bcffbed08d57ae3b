import DRODSCore

/// Placement settings given inline in a binding request instead of naming a policy.
public struct BindingPlacement: Equatable, Codable, Sendable {
    /// Cluster names; empty means any cluster.
    public var targetClusters: [String]
    public var scheduling: SchedulingOptions

    public init(targetClusters: [String] = [], scheduling: SchedulingOptions = SchedulingOptions()) {
        self.targetClusters = targetClusters
        self.scheduling = scheduling
    }

    public func jsonValue() -> JSONValue {
        var members: [String: JSONValue] = ["targetClusters": .array(targetClusters.map(JSONValue.string))]
        scheduling.addFields(to: &members)
        return .object(members)
    }

    static func read(_ field: JSONField) -> BindingPlacement? {
        guard let reader = field.object() else { return nil }
        reader.rejectUnknownFields(allowed: ["targetClusters"] + SchedulingOptions.fieldNames)
        let targets = reader.optional("targetClusters")?.uniqueArray { $0.dnsLabel() } ?? []
        let scheduling = SchedulingOptions.read(reader)
        scheduling.checkAgainst(targetNames: targets, reader: reader, targetField: "targetClusters")
        return BindingPlacement(targetClusters: targets, scheduling: scheduling)
    }
}
