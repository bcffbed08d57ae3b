import DRODSScheduling

/// Static weights as KubeFed's replica planner applies them (kubernetes-retired/kubefed,
/// `pkg/controller/util/planner/planner.go`): each domain has a fixed weight, here its CPU
/// cores, and replicas are handed out in order of weight, heaviest first, ties broken by a
/// 32-bit FNV-1 hash of the domain and workload names. Each domain in turn receives
/// ceil(remaining × weight / sum of weights) replicas until none remain.
///
/// The planner looks at no free capacity, so every one-replica workload goes to the heaviest
/// domain. KubeFed can cap a domain at an estimate drawn from pods that stay unschedulable
/// there; a replay keeps no pending pods, so that cap never applies here.
public struct StaticWeightStrategy: PlacementStrategy {
    public let name = "static"
    private var weights: [Int64] = []

    public init() {}

    public mutating func chooseDomain(for pod: TracePod, domains: [ReplayDomain], fleet: FleetSnapshot) -> Int? {
        if weights.count != domains.count {
            weights = domains.map { $0.domain.total.cpuMillis / 1000 }
        }
        let plan = Self.plan(replicas: 1, weights: weights, names: domains.map(\.name), workload: pod.name)
        return plan.firstIndex { $0 > 0 }
    }

    /// Returns replicas per domain, in the order of `weights`.
    static func plan(replicas: Int, weights: [Int64], names: [String], workload: String) -> [Int] {
        let order = weights.indices.sorted { lhs, rhs in
            if weights[lhs] != weights[rhs] { return weights[lhs] > weights[rhs] }
            return fnv1Hash32(names[lhs] + workload) < fnv1Hash32(names[rhs] + workload)
        }
        var plan = Array(repeating: 0, count: weights.count)
        var remaining = Int64(replicas)
        let weightSum = weights.reduce(0, +)
        guard weightSum > 0 else { return plan }
        // Without maximums or capacity caps one pass places everything: the rounded-up shares
        // of the earlier domains add up to at least the total.
        let toDistribute = remaining
        for index in order where remaining > 0 {
            let share = min(remaining, (toDistribute * weights[index] + weightSum - 1) / weightSum)
            plan[index] += Int(share)
            remaining -= share
        }
        return plan
    }

    /// 32-bit FNV-1 (multiply, then xor), the hash Go's `hash/fnv.New32` computes.
    static func fnv1Hash32(_ text: String) -> UInt32 {
        var hash: UInt32 = 0x811c_9dc5
        for byte in text.utf8 {
            hash = hash &* 0x0100_0193
            hash ^= UInt32(byte)
        }
        return hash
    }
}
