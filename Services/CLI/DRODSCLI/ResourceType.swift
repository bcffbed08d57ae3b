/// A collection that `drods get` lists, with the names users may type for it.
public enum ResourceType: String, CaseIterable, Sendable {
    case clusters, propagationpolicies, placementpolicies, overridepolicies, workloads, bindings

    /// Accepts the plural, the singular and a short name, as kubectl does.
    public init?(argument: String) {
        let aliases: [String: ResourceType] = [
            "cluster": .clusters, "clusters": .clusters,
            "propagationpolicy": .propagationpolicies, "propagationpolicies": .propagationpolicies, "pp": .propagationpolicies,
            "placementpolicy": .placementpolicies, "placementpolicies": .placementpolicies,
            "resourceplacementpolicy": .placementpolicies, "resourceplacementpolicies": .placementpolicies,
            "rpp": .placementpolicies,
            "overridepolicy": .overridepolicies, "overridepolicies": .overridepolicies,
            "clusteroverridepolicy": .overridepolicies, "clusteroverridepolicies": .overridepolicies,
            "cop": .overridepolicies,
            "workload": .workloads, "workloads": .workloads, "wl": .workloads,
            "binding": .bindings, "bindings": .bindings,
        ]
        guard let type = aliases[argument.lowercased()] else { return nil }
        self = type
    }

    public var collectionPath: String {
        switch self {
        case .clusters: "/api/v1/clusters"
        case .propagationpolicies: "/api/v1/propagationpolicies"
        case .placementpolicies: "/apis/multicluster.io/v1alpha1/resourceplacementpolicies"
        case .overridepolicies: "/apis/multicluster.io/v1alpha1/clusteroverridepolicies"
        case .workloads: "/api/v1/workloads"
        case .bindings: "/api/v1/bindings"
        }
    }

    /// Returns the API path of one resource, or nil for workloads, whose path needs the
    /// namespace and kind and which `drods get` finds in the list instead.
    public func itemPath(name: String) -> String? {
        let segment = PathSegment.escape(name)
        switch self {
        case .workloads: return nil
        case .bindings: return "/api/v1/bindings/\(segment)/status"
        default: return "\(collectionPath)/\(segment)"
        }
    }
}
