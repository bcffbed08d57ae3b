import DRODSCore
import Foundation

/// One member cluster at run time: its objects, its bearer token and its current fault. Every
/// access to the state goes through `condition`, which also wakes requests held by a
/// `partitioned` fault when the fault changes or the simulator stops.
final class SimulatedCluster: @unchecked Sendable {
    let spec: ClusterSpec
    /// Bearer token that the cluster's API accepts; it never appears in logs.
    let token: String
    private let condition = NSCondition()
    private var state: ClusterState
    private var currentFault: Fault = .none
    private var stopped = false

    init(spec: ClusterSpec, index: Int, behavior: ClusterBehavior, token: String, now: Date) {
        self.spec = spec
        self.token = token
        state = ClusterState(spec: spec, index: index, behavior: behavior, now: now)
    }

    /// Runs `body` with exclusive access to the state.
    func withState<T>(_ body: (inout ClusterState) throws -> T) rethrows -> T {
        condition.lock()
        defer { condition.unlock() }
        return try body(&state)
    }

    var fault: Fault {
        condition.lock()
        defer { condition.unlock() }
        return currentFault
    }

    func setFault(_ fault: Fault) {
        condition.lock()
        currentFault = fault
        condition.broadcast()
        condition.unlock()
    }

    /// Releases held requests and makes later waits return at once.
    func stop() {
        condition.lock()
        stopped = true
        condition.broadcast()
        condition.unlock()
    }

    /// Waits while the cluster is partitioned, up to `seconds`. Returns true when the partition
    /// ended (or the simulator stopped) in time, false when the wait timed out.
    func waitWhilePartitioned(seconds: Double) -> Bool {
        let deadline = Date(timeIntervalSinceNow: seconds)
        condition.lock()
        defer { condition.unlock() }
        while currentFault == .partitioned && !stopped {
            if !condition.wait(until: deadline) { return currentFault != .partitioned || stopped }
        }
        return true
    }

    /// Sleeps `seconds` unless the simulator stops first.
    func sleep(seconds: Double) {
        let deadline = Date(timeIntervalSinceNow: seconds)
        condition.lock()
        defer { condition.unlock() }
        while !stopped {
            if !condition.wait(until: deadline) { return }
        }
    }
}
