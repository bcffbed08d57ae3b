import DRODSScheduling

/// Karmada's dynamic weights by available replicas (`replicaDivisionPreference: Weighted`
/// with `dynamicWeight: AvailableReplicas`). Each domain's weight is the number of replicas of
/// the pod it can still take, estimated as Karmada's general estimator does from the cluster's
/// resource summary: the smallest, over the requested dimensions, of free amount divided by
/// request. Domains with no room are left out. Each domain gets floor(replicas × weight / sum)
/// and the remainder goes one by one to the heaviest domains, ties by name, so a one-replica
/// pod goes to the domain that can take the most replicas of it.
///
/// The summary does not see nodes, so a domain can count room that no single node has.
public struct AvailableReplicasStrategy: PlacementStrategy {
    public let name = "available_replicas"

    public init() {}

    public mutating func chooseDomain(for pod: TracePod, domains: [ReplayDomain], fleet: FleetSnapshot) -> Int? {
        let replica = ReplayDomain.resources(of: pod)
        let model = pod.gpuSpec.isEmpty ? nil : pod.gpuSpec
        var best: (index: Int, available: Int64)?
        for (index, domain) in domains.enumerated() {
            let available = Self.availableReplicas(replica, gpuModel: model, in: domain.snapshot)
            guard available > 0 else { continue }
            if let current = best {
                if available < current.available { continue }
                if available == current.available && domain.name >= domains[current.index].name { continue }
            }
            best = (index, available)
        }
        return best?.index
    }

    /// Returns how many replicas fit the free totals of `domain`.
    static func availableReplicas(_ replica: ResourceVector, gpuModel: String?, in domain: DomainSnapshot) -> Int64 {
        var available = Int64.max
        for dimension in ResourceDimension.allCases {
            let need = replica.amount(dimension, gpuModel: gpuModel)
            guard need > 0 else { continue }
            let free = domain.total.amount(dimension, gpuModel: gpuModel) - domain.used.amount(dimension, gpuModel: gpuModel)
            available = min(available, max(0, free) / need)
        }
        return available == Int64.max ? 0 : available
    }
}
