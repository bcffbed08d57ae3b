import DRODSCore

/// A Kubernetes-style override policy (`multicluster.io/v1alpha1`, kind
/// `ClusterOverridePolicy`): changes to a workload's manifest in the clusters that match.
/// Created with `POST /apis/multicluster.io/v1alpha1/clusteroverridepolicies`.
public struct ClusterOverridePolicy: Equatable, Codable, Sendable {
    public struct Spec: Equatable, Codable, Sendable {
        public var resourceSelector: ResourceSelector
        /// Never empty after validation.
        public var overrides: [ClusterOverride]

        public init(resourceSelector: ResourceSelector, overrides: [ClusterOverride]) {
            self.resourceSelector = resourceSelector
            self.overrides = overrides
        }
    }

    public static let kind = "ClusterOverridePolicy"

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

    public static func validate(_ input: JSONValue) throws -> ClusterOverridePolicy {
        let collector = ErrorCollector()
        let (metadata, specReader) = PolicyDocument.read(input, kind: kind, collector: collector)
        var spec: Spec?
        if let specReader {
            specReader.rejectUnknownFields(allowed: ["resourceSelector", "overrides"])
            let selector = specReader.required("resourceSelector").flatMap(ResourceSelector.read)
            let overrides = specReader.required("overrides")?.array(allowEmpty: false)?
                .compactMap(ClusterOverride.read)
            if let selector, let overrides {
                spec = Spec(resourceSelector: selector, overrides: overrides)
            }
        }

        guard collector.isEmpty, let metadata, let spec else { throw collector.failure() }
        return ClusterOverridePolicy(metadata: metadata, spec: spec)
    }

    /// Returns whether the policy has at least one override for `workload` in `cluster`.
    public func applies(to workload: Workload, in cluster: Cluster) -> Bool {
        spec.resourceSelector.matches(workload)
            && spec.overrides.contains { $0.clusterSelector.matches(cluster) }
    }

    /// Returns the field patches for `workload` in `cluster`, in the order they are applied.
    public func fieldPatches(for workload: Workload, in cluster: Cluster) -> [FieldPatch] {
        guard spec.resourceSelector.matches(workload) else { return [] }
        return spec.overrides.filter { $0.clusterSelector.matches(cluster) }.flatMap(\.fieldPatches)
    }

    public func jsonValue() -> JSONValue {
        PolicyDocument.jsonValue(
            kind: Self.kind, metadata: metadata,
            spec: ["resourceSelector": spec.resourceSelector.jsonValue(),
                   "overrides": .array(spec.overrides.map { $0.jsonValue() })],
            status: status)
    }
}
