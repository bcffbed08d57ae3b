import Foundation

/// State shared by the replay, its request workers and the sampler, behind one lock.
final class DemoState: @unchecked Sendable {
    private let lock = NSLock()
    private var createdCount = 0
    private var deletedCount = 0
    /// Failed requests per HTTP status, with 0 for requests that got no response.
    private var failures: [Int: Int] = [:]
    private var submitted: Set<String> = []
    private var events: [ScheduleEvent] = []
    private var lastSeq: Int64 = -1
    private var phaseByBinding: [String: String] = [:]
    private var bestOutcomeByBinding: [String: DemoOutcome] = [:]
    private var placementByBinding: [String: [String: Int]] = [:]
    private var samples: [DemoSample] = []

    func recordCreated(_ bindingID: String) {
        lock.withLock {
            createdCount += 1
            submitted.insert(bindingID)
        }
    }

    func recordDeleted() {
        lock.withLock { deletedCount += 1 }
    }

    func recordFailure(status: Int) {
        lock.withLock { failures[status, default: 0] += 1 }
    }

    /// Adds history events, dropping those already seen.
    func add(_ newEvents: [ScheduleEvent]) {
        lock.withLock {
            for event in newEvents.sorted(by: { $0.seq < $1.seq }) where event.seq > lastSeq {
                lastSeq = event.seq
                events.append(event)
                guard event.bindingID.hasPrefix(DemoManifest.bindingID(name: "")) else { continue }
                phaseByBinding[event.bindingID] = event.phase
                bestOutcomeByBinding[event.bindingID] = max(bestOutcomeByBinding[event.bindingID] ?? .undecided,
                                                            DemoOutcome(phase: event.phase))
                placementByBinding[event.bindingID] = event.placement
            }
        }
    }

    func add(_ sample: DemoSample) {
        lock.withLock { samples.append(sample) }
    }

    /// Demo bindings per phase, from the latest history event of each.
    var phases: [String: Int] {
        lock.withLock {
            var counts: [String: Int] = [:]
            for phase in phaseByBinding.values { counts[phase, default: 0] += 1 }
            return counts
        }
    }

    /// Demo bindings per best outcome, from the history read so far. Unlike `phases`,
    /// these counts never decrease, because deleting a workload does not undo its decision.
    var outcomes: [DemoOutcome: Int] {
        lock.withLock {
            var counts: [DemoOutcome: Int] = [:]
            for outcome in bestOutcomeByBinding.values { counts[outcome, default: 0] += 1 }
            return counts
        }
    }

    /// Demo replicas per cluster, from the latest placement of each binding.
    var replicasByCluster: [String: Int] {
        lock.withLock {
            var counts: [String: Int] = [:]
            for placement in placementByBinding.values {
                for (cluster, replicas) in placement { counts[cluster, default: 0] += replicas }
            }
            return counts
        }
    }

    var snapshot: (created: Int, deleted: Int, failures: [Int: Int], submitted: Set<String>,
                   events: [ScheduleEvent], samples: [DemoSample]) {
        lock.withLock { (createdCount, deletedCount, failures, submitted, events, samples) }
    }
}
