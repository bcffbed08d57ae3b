import DRODSCore
import DRODSDomain
import DRODSScheduling
import Foundation

extension SchedulerLoop {
    /// Moves low-priority work off clusters whose own reports have shown them above
    /// `settings.overloadLevel` for `settings.overloadAfter` seconds. Per overloaded cluster and
    /// report, one binding moves: the lowest priority (at most `overloadMaxPriority`), newest
    /// first among equals. It is decided again as if the cluster had a `NoExecute` taint, so
    /// only its replicas there move, and only when they fit elsewhere. Work that fits nowhere
    /// else stays.
    func rebalanceOverloaded() {
        let overloaded = fleet.overloaded(for: settings.overloadAfter)
        guard !overloaded.isEmpty else { return }
        let now = Date()
        for cluster in overloaded {
            let candidates = bindings.values
                .filter { $0.isPlaced && $0.placement[cluster] != nil && $0.priority <= settings.overloadMaxPriority }
                .sorted { lhs, rhs in lhs.priority != rhs.priority ? lhs.priority < rhs.priority : lhs.seq > rhs.seq }
            for binding in candidates {
                guard var task = task(for: binding) else { continue }
                task.existing = binding.placement
                let decision = decide(task, options: options(for: binding), now: now) { snapshot in
                    guard let index = snapshot.domains.firstIndex(where: { $0.name == cluster }) else { return }
                    snapshot.domains[index].taints.append(ClusterTaint(key: "drods.io/overloaded", effect: .noExecute))
                }
                let leaves = decision.moves.contains { $0.from == cluster && $0.to != nil }
                guard leaves, decision.retained[cluster] == nil else { continue }
                let reason = "cluster \(cluster) stayed above water level \(settings.overloadLevel) for "
                    + "\(Int(settings.overloadAfter)) s; low-priority work moves off it"
                recordChange(decision, for: binding, now: now, reason: reason)
                fleet.markRebalanced(cluster)
                break
            }
        }
    }
}
