import DRODSScheduling

/// Hands pods to the domains in turn, in name order, skipping a domain whose free totals or
/// largest free node cannot hold the pod, as a load balancer with a health check would.
public struct RoundRobinStrategy: PlacementStrategy {
    public let name = "round_robin"
    private var next = 0

    public init() {}

    public mutating func chooseDomain(for pod: TracePod, domains: [ReplayDomain], fleet: FleetSnapshot) -> Int? {
        let order = domains.indices.sorted { domains[$0].name < domains[$1].name }
        let replica = ReplayDomain.resources(of: pod)
        let model = pod.gpuSpec.isEmpty ? nil : pod.gpuSpec
        for step in 0..<order.count {
            let index = order[(next + step) % order.count]
            let snapshot = domains[index].snapshot
            guard AvailableReplicasStrategy.availableReplicas(replica, gpuModel: model, in: snapshot) > 0,
                  snapshot.largestFreeNode.fits(ReplayDomain.requirements(of: pod)) else { continue }
            next = (next + step + 1) % order.count
            return index
        }
        return nil
    }
}
