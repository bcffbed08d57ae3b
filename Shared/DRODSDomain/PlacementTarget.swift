/// The clusters a policy or inline placement allows: a cluster is allowed when any target
/// entry allows it, and an empty target list allows every cluster.
public struct PlacementTarget: Equatable, Hashable, Sendable {
    public var clusterTargets: [ClusterTarget]

    public init(clusterTargets: [ClusterTarget]) {
        self.clusterTargets = clusterTargets
    }

    /// Creates a target from cluster names. An empty list allows every cluster.
    public init(clusterNames: [String]) {
        self.clusterTargets = clusterNames.isEmpty ? [] : [ClusterTarget(selectorType: .name, values: clusterNames)]
    }

    public static let anyCluster = PlacementTarget(clusterTargets: [])

    public func allows(_ cluster: Cluster) -> Bool {
        clusterTargets.isEmpty || clusterTargets.contains { $0.allows(cluster) }
    }

    /// Returns the allowed clusters in the order given.
    public func allowedClusters(_ clusters: [Cluster]) -> [Cluster] {
        clusters.filter(allows)
    }
}
