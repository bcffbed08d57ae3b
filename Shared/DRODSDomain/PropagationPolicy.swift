import DRODSCore

/// A rule that sends workloads to clusters and divides their replicas. Created with
/// `POST /api/v1/propagationpolicies`.
public struct PropagationPolicy: Equatable, Codable, Sendable {
    /// DNS-1123 label, unique among propagation policies.
    public var name: String
    public var resourceType: WorkloadKind
    /// Cluster names; empty means any cluster.
    public var targetClusters: [String]
    /// Namespace of the selected workloads; nil selects every namespace.
    public var namespace: String?
    /// Names of the selected workloads; empty selects every name.
    public var resourceNames: [String]
    /// Labels the selected workloads must all carry; empty selects regardless of labels.
    public var labelSelector: [String: String]
    /// 0 to 1000; higher wins when several policies select one workload.
    public var priority: Int
    public var scheduling: SchedulingOptions

    public static let priorityRange = 0...1000

    public init(name: String, resourceType: WorkloadKind, targetClusters: [String] = [],
                namespace: String? = nil, resourceNames: [String] = [],
                labelSelector: [String: String] = [:], priority: Int = 0,
                scheduling: SchedulingOptions = SchedulingOptions()) {
        self.name = name
        self.resourceType = resourceType
        self.targetClusters = targetClusters
        self.namespace = namespace
        self.resourceNames = resourceNames
        self.labelSelector = labelSelector
        self.priority = priority
        self.scheduling = scheduling
    }

    public static func validate(_ input: JSONValue) throws -> PropagationPolicy {
        let collector = ErrorCollector()
        guard let reader = ObjectReader.document(input, collector: collector) else {
            throw collector.failure()
        }
        reader.rejectUnknownFields(
            allowed: ["name", "resourceType", "targetClusters", "namespace", "resourceNames",
                      "labelSelector", "priority"] + SchedulingOptions.fieldNames)

        let name = reader.required("name")?.dnsLabel()
        let resourceType = reader.required("resourceType")?.enumeration(WorkloadKind.self)
        let targetClusters = reader.required("targetClusters")?.uniqueArray { $0.dnsLabel() } ?? []
        let namespace = reader.optional("namespace")?.dnsLabel()
        let resourceNames = reader.optional("resourceNames")?.uniqueArray { $0.dnsSubdomain() } ?? []
        let labelSelector = reader.optional("labelSelector")?.labels() ?? [:]
        let priority = reader.optional("priority")?.integer(in: priorityRange) ?? 0
        let scheduling = SchedulingOptions.read(reader)
        scheduling.checkAgainst(targetNames: targetClusters, reader: reader,
                                targetField: "targetClusters")

        guard collector.isEmpty, let name, let resourceType else { throw collector.failure() }
        return PropagationPolicy(
            name: name, resourceType: resourceType, targetClusters: targetClusters,
            namespace: namespace, resourceNames: resourceNames, labelSelector: labelSelector,
            priority: priority, scheduling: scheduling)
    }

    /// Returns the API representation with every default filled in.
    public func jsonValue() -> JSONValue {
        var members: [String: JSONValue] = [
            "name": .string(name),
            "resourceType": .string(resourceType.rawValue),
            "targetClusters": .array(targetClusters.map(JSONValue.string)),
            "resourceNames": .array(resourceNames.map(JSONValue.string)),
            "labelSelector": .object(labelSelector.mapValues(JSONValue.string)),
            "priority": .number(Double(priority)),
        ]
        if let namespace { members["namespace"] = .string(namespace) }
        scheduling.addFields(to: &members)
        return .object(members)
    }
}
