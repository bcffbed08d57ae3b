import DRODSCore

/// A Kubernetes-style placement policy (`multicluster.io/v1alpha1`, kind
/// `ResourcePlacementPolicy`): which workloads go to which clusters, and how replicas are
/// divided. Created with `POST /apis/multicluster.io/v1alpha1/resourceplacementpolicies`.
public struct ResourcePlacementPolicy: Equatable, Codable, Sendable {
    public struct Spec: Equatable, Codable, Sendable {
        public var resourceSelector: ResourceSelector
        /// A cluster is allowed when any entry allows it; an empty list allows every cluster.
        public var targetClusters: [ClusterTarget]
        /// 0 to 1000; higher wins when several policies select one workload.
        public var priority: Int
        public var scheduling: SchedulingOptions

        public init(resourceSelector: ResourceSelector, targetClusters: [ClusterTarget] = [],
                    priority: Int = 0, scheduling: SchedulingOptions = SchedulingOptions()) {
            self.resourceSelector = resourceSelector
            self.targetClusters = targetClusters
            self.priority = priority
            self.scheduling = scheduling
        }
    }

    public static let kind = "ResourcePlacementPolicy"

    public var metadata: ObjectMeta
    public var spec: Spec
    /// Maintained by the server; an empty object until the server records something.
    public var status: JSONValue

    public init(metadata: ObjectMeta, spec: Spec, status: JSONValue = .object([:])) {
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }

    public var name: String { metadata.name }

    public static func validate(_ input: JSONValue) throws -> ResourcePlacementPolicy {
        let collector = ErrorCollector()
        let (metadata, specReader) = PolicyDocument.read(input, kind: kind, collector: collector)
        var spec: Spec?
        if let specReader {
            specReader.rejectUnknownFields(
                allowed: ["resourceSelector", "targetClusters", "priority"] + SchedulingOptions.fieldNames)
            let selector = specReader.required("resourceSelector").flatMap(ResourceSelector.read)
            let targets = specReader.optional("targetClusters")?.array()?.compactMap(ClusterTarget.read) ?? []
            let priority = specReader.optional("priority")?.integer(in: PropagationPolicy.priorityRange) ?? 0
            let scheduling = SchedulingOptions.read(specReader)
            let onlyNames = targets.allSatisfy { $0.selectorType == .name }
            if onlyNames {
                scheduling.checkAgainst(targetNames: targets.flatMap(\.values), reader: specReader,
                                        targetField: "targetClusters")
            }
            if let selector {
                spec = Spec(resourceSelector: selector, targetClusters: targets, priority: priority,
                            scheduling: scheduling)
            }
        }

        guard collector.isEmpty, let metadata, let spec else { throw collector.failure() }
        return ResourcePlacementPolicy(metadata: metadata, spec: spec)
    }

    /// Returns the Kubernetes-style document with every default filled in.
    public func jsonValue() -> JSONValue {
        var specMembers: [String: JSONValue] = [
            "resourceSelector": spec.resourceSelector.jsonValue(),
            "targetClusters": .array(spec.targetClusters.map { $0.jsonValue() }),
            "priority": .number(Double(spec.priority)),
        ]
        spec.scheduling.addFields(to: &specMembers)
        return PolicyDocument.jsonValue(kind: Self.kind, metadata: metadata, spec: specMembers,
                                        status: status)
    }
}
