import DRODSCore
import Foundation

/// The kind of resource an applied document describes, and where the API keeps it.
///
/// Kubernetes-style documents name their kind in `kind`. Clusters and propagation policies
/// have no `kind`, so their required fields identify them. A cluster has `name` and
/// `endpoint`, a propagation policy `name` and `resourceType`.
public enum ManifestKind: Equatable, Sendable {
    case cluster
    case propagationPolicy
    case placementPolicy
    case overridePolicy
    /// A Deployment, StatefulSet or Job manifest; `kind` is spelled as in the document.
    case workload(kind: String)

    static let workloadKinds = ["Deployment", "StatefulSet", "Job"]

    /// Returns the kind of `document`, or throws `ManifestError` naming what is missing.
    public static func detect(_ document: JSONValue) throws -> ManifestKind {
        guard case .object(let members) = document else {
            throw ManifestError("expected a mapping, such as a cluster or a Deployment manifest")
        }
        if let kind = members["kind"]?.stringValue {
            switch kind {
            case "ResourcePlacementPolicy": return .placementPolicy
            case "ClusterOverridePolicy": return .overridePolicy
            case let workload where workloadKinds.contains(workload): return .workload(kind: workload)
            default:
                throw ManifestError("unsupported kind \"\(kind)\"; expected ResourcePlacementPolicy, "
                                    + "ClusterOverridePolicy, \(workloadKinds.joined(separator: ", ")), "
                                    + "or a cluster or propagation policy without kind")
            }
        }
        guard members["name"]?.stringValue != nil else {
            throw ManifestError("missing kind, and no name: a cluster needs name and endpoint, "
                                + "a propagation policy name and resourceType")
        }
        if members["endpoint"] != nil { return .cluster }
        if members["resourceType"] != nil { return .propagationPolicy }
        throw ManifestError("missing kind, and neither endpoint (for a cluster) nor resourceType "
                            + "(for a propagation policy)")
    }

    /// The lower-case name kubectl-style output uses, as in `cluster/aws-east created`.
    public var displayName: String {
        switch self {
        case .cluster: "cluster"
        case .propagationPolicy: "propagationpolicy"
        case .placementPolicy: "resourceplacementpolicy"
        case .overridePolicy: "clusteroverridepolicy"
        case .workload(let kind): kind.lowercased()
        }
    }

    /// Whether the API updates this kind with `PATCH` and a JSON merge patch. The other kinds
    /// can only be deleted and created again.
    public var isPatchable: Bool {
        self == .cluster || self == .propagationPolicy
    }

    /// Returns the name shown in output: the resource's name, or `namespace/name` for a
    /// workload (namespace `default` when the manifest names none).
    public func displayKey(of document: JSONValue) -> String? {
        switch self {
        case .cluster, .propagationPolicy:
            return document["name"]?.stringValue
        case .placementPolicy, .overridePolicy:
            return document["metadata"]?["name"]?.stringValue
        case .workload:
            guard let name = document["metadata"]?["name"]?.stringValue else { return nil }
            return "\(Self.namespace(of: document))/\(name)"
        }
    }

    public var collectionPath: String {
        switch self {
        case .cluster: "/api/v1/clusters"
        case .propagationPolicy: "/api/v1/propagationpolicies"
        case .placementPolicy: "/apis/multicluster.io/v1alpha1/resourceplacementpolicies"
        case .overridePolicy: "/apis/multicluster.io/v1alpha1/clusteroverridepolicies"
        case .workload: "/api/v1/workloads"
        }
    }

    /// Returns the API path of the resource `document` describes, nil when it has no name.
    public func itemPath(of document: JSONValue) -> String? {
        switch self {
        case .cluster, .propagationPolicy, .placementPolicy, .overridePolicy:
            guard let key = displayKey(of: document) else { return nil }
            return "\(collectionPath)/\(PathSegment.escape(key))"
        case .workload(let kind):
            guard let name = document["metadata"]?["name"]?.stringValue else { return nil }
            let namespace = Self.namespace(of: document)
            return "\(collectionPath)/\(PathSegment.escape(namespace))/\(kind.lowercased())/\(PathSegment.escape(name))"
        }
    }

    private static func namespace(of document: JSONValue) -> String {
        document["metadata"]?["namespace"]?.stringValue ?? "default"
    }
}
