/// A kind of resource the controller owns and the API serves with create, read, patch and
/// delete. Each resource is one event stream; its events carry the whole resource document,
/// so the last event alone gives the current state.
public struct ResourceKind: Hashable, Sendable, CustomStringConvertible {
    /// Kind name as used in commands and documents, such as `Cluster`.
    public let name: String
    /// Prefix of the resource's stream id; the rest is the resource key.
    public let streamPrefix: String
    public let createdEvent: String
    public let updatedEvent: String
    public let deletedEvent: String
    /// Prefix of this kind's API error codes: `<prefix>_NOT_FOUND` and the conflict code.
    public let notFoundCode: String
    public let alreadyExistsCode: String

    public var description: String { name }

    public func streamID(key: String) -> String { streamPrefix + key }

    public static let cluster = ResourceKind(
        name: "Cluster", streamPrefix: "cluster-", createdEvent: "ClusterRegistered",
        updatedEvent: "ClusterUpdated", deletedEvent: "ClusterDeregistered",
        notFoundCode: "CLUSTER_NOT_FOUND", alreadyExistsCode: "CLUSTER_ALREADY_EXISTS")

    public static let propagationPolicy = ResourceKind(
        name: "PropagationPolicy", streamPrefix: "policy-propagation-",
        createdEvent: "PropagationPolicyCreated", updatedEvent: "PropagationPolicyUpdated",
        deletedEvent: "PropagationPolicyDeleted", notFoundCode: "POLICY_NOT_FOUND",
        alreadyExistsCode: "POLICY_CONFLICT")

    public static let placementPolicy = ResourceKind(
        name: "ResourcePlacementPolicy", streamPrefix: "policy-placement-",
        createdEvent: "ResourcePlacementPolicyCreated", updatedEvent: "ResourcePlacementPolicyUpdated",
        deletedEvent: "ResourcePlacementPolicyDeleted", notFoundCode: "POLICY_NOT_FOUND",
        alreadyExistsCode: "POLICY_CONFLICT")

    public static let overridePolicy = ResourceKind(
        name: "ClusterOverridePolicy", streamPrefix: "policy-override-",
        createdEvent: "ClusterOverridePolicyCreated", updatedEvent: "ClusterOverridePolicyUpdated",
        deletedEvent: "ClusterOverridePolicyDeleted", notFoundCode: "POLICY_NOT_FOUND",
        alreadyExistsCode: "POLICY_CONFLICT")

    /// Workloads are keyed `Kind/namespace/name`, such as `Deployment/production/webapp`.
    public static let workload = ResourceKind(
        name: "Workload", streamPrefix: "workload-", createdEvent: "WorkloadSubmitted",
        updatedEvent: "WorkloadUpdated", deletedEvent: "WorkloadDeleted",
        notFoundCode: "WORKLOAD_NOT_FOUND", alreadyExistsCode: "WORKLOAD_ALREADY_EXISTS")

    public static let all: [ResourceKind] = [cluster, propagationPolicy, placementPolicy, overridePolicy, workload]

    public static func named(_ name: String) -> ResourceKind? { all.first { $0.name == name } }

    /// Returns the kind whose events include `eventType`, with what the event does.
    public static func forEvent(_ eventType: String) -> (kind: ResourceKind, change: Change)? {
        for kind in all {
            if eventType == kind.createdEvent { return (kind, .created) }
            if eventType == kind.updatedEvent { return (kind, .updated) }
            if eventType == kind.deletedEvent { return (kind, .deleted) }
        }
        return nil
    }

    public enum Change: String, Sendable {
        case created, updated, deleted
    }
}

/// Data of every resource event: the resource's key and its whole document after the change
/// (for a deletion, the document as it was).
public struct ResourceEventData: Codable, Equatable, Sendable {
    public var kind: String
    public var key: String
    public var document: JSONValue

    public init(kind: String, key: String, document: JSONValue) {
        self.kind = kind
        self.key = key
        self.document = document
    }
}
