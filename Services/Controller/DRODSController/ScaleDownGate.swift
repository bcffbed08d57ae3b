/// Decides which clusters of one workload may lose replicas now. A move first adds replicas
/// to the new clusters and removes them from the old ones only once the new ones are ready,
/// so that the workload's capacity never dips during a move. Pure: no I/O.
///
/// Counts are replicas per cluster: `current` as last planned, `target` as the placement now
/// wants, `ready` as the clusters' agents last reported.
enum ScaleDownGate {
    /// Returns the clusters whose count may drop (or that may lose the workload) now: all of
    /// them when no cluster gains replicas or every gaining cluster reports its target ready,
    /// none otherwise.
    static func allowedDecreases(current: [String: Int], target: [String: Int], ready: [String: Int]) -> Set<String> {
        let decreasing = Set(current.keys.filter { (target[$0] ?? 0) < current[$0]! })
        let gaining = target.keys.filter { target[$0]! > (current[$0] ?? 0) }
        let gainsReady = gaining.allSatisfy { (ready[$0] ?? 0) >= target[$0]! }
        return gainsReady ? decreasing : []
    }
}
