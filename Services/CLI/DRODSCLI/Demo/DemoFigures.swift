import Foundation

/// The figures of a demo run, computed from the samples and the schedule history.
struct DemoFigures: Equatable, Sendable {
    var submitted = 0
    var scheduled = 0
    var partiallyScheduled = 0
    var unschedulable = 0
    /// Filter summaries of the bindings that never got a replica, most frequent first.
    var unschedulableReasons: [(reason: String, count: Int)] = []
    /// Bindings with no decision: deleted while pending, or still pending at the end.
    var undecided = 0
    /// `BindingRescheduled` events at or after the fault that took replicas off the failed
    /// cluster. One binding can need more than one, when the rest of the fleet takes its
    /// replicas in steps.
    var rescheduledByFailover = 0
    /// All `BindingRescheduled` events, including moves that rebalance the fleet.
    var rescheduledTotal = 0
    /// Bindings that had replicas on the failed cluster at the moment of the fault.
    var affectedByFailover = 0
    /// The failover's bindings, split by how they ended; see `FailoverBindings`.
    var failoverBindings = FailoverBindings()
    /// Replicas that `BindingRescheduled` events took off the failed cluster.
    var replicasMovedOff = 0
    /// Seconds from the fault until no binding had a replica left on the failed cluster. It
    /// is nil without a fault, and while some binding still has replicas there.
    var failoverSeconds: Double?

    /// The bindings that had replicas on the failed cluster at or after the fault, by how
    /// their last replica there ended. The four counts add up to `affectedByFailover` plus
    /// `placedAfterFault`.
    struct FailoverBindings: Equatable, Sendable {
        /// Bindings that got replicas on the failed cluster after the fault, before the
        /// scheduler learned that it was down.
        var placedAfterFault = 0
        /// Bindings whose last replicas there left with a `BindingRescheduled` event.
        var movedOff = 0
        /// Bindings whose workload was deleted while they still had replicas there.
        var removed = 0
        /// Bindings whose last replicas there left with another decision, such as a new
        /// `BindingScheduled` after a change of the workload.
        var leftOtherwise = 0
        /// Bindings with replicas there at the end of the run.
        var stillThere = 0
    }
    /// US dollars per hour of the CPU and memory that running pods request, per sample, in
    /// sample order.
    var costPerHour: [(time: Double, dollars: Double)] = []
    /// Largest water level each domain reported.
    var peakWaterLevel: [String: Double] = [:]

    static func == (left: DemoFigures, right: DemoFigures) -> Bool {
        left.submitted == right.submitted && left.scheduled == right.scheduled
            && left.partiallyScheduled == right.partiallyScheduled && left.unschedulable == right.unschedulable
            && left.unschedulableReasons.map(\.reason) == right.unschedulableReasons.map(\.reason)
            && left.unschedulableReasons.map(\.count) == right.unschedulableReasons.map(\.count)
            && left.undecided == right.undecided && left.rescheduledTotal == right.rescheduledTotal
            && left.rescheduledByFailover == right.rescheduledByFailover
            && left.affectedByFailover == right.affectedByFailover && left.failoverSeconds == right.failoverSeconds
            && left.failoverBindings == right.failoverBindings && left.replicasMovedOff == right.replicasMovedOff
            && left.costPerHour.map(\.time) == right.costPerHour.map(\.time)
            && left.costPerHour.map(\.dollars) == right.costPerHour.map(\.dollars)
            && left.peakWaterLevel == right.peakWaterLevel
    }

    /// Prices of one domain: US dollars per vCPU-hour and per GB-hour of memory.
    struct Price: Sendable {
        var vcpuHour: Double
        var gbHour: Double
    }

    /// Computes the figures. `events` must be in history order and may contain other
    /// bindings than the demo's; `bindingIDs` names the demo's.
    static func compute(submitted: Int, bindingIDs: Set<String>, events: [ScheduleEvent],
                        samples: [DemoSample], prices: [String: Price], fault: DemoFault?) -> DemoFigures {
        var figures = DemoFigures()
        figures.submitted = submitted
        let demoEvents = events.filter { bindingIDs.contains($0.bindingID) }
        countOutcomes(demoEvents, into: &figures)
        if let fault {
            measureFailover(demoEvents, fault: fault, into: &figures)
        }

        for sample in samples {
            var dollars = 0.0
            for (name, domain) in sample.domains {
                figures.peakWaterLevel[name] = max(figures.peakWaterLevel[name] ?? 0, domain.waterLevel)
                // A cluster that stopped reporting keeps its last report in the live view; it
                // runs nothing the control plane can count.
                guard domain.active, let price = prices[name] else { continue }
                // Fargate bills memory per GB; the GiB is used for it, as the scheduler does.
                dollars += domain.cpuUsedMillis / 1000 * price.vcpuHour
                    + domain.memoryUsedBytes / Double(1 << 30) * price.gbHour
            }
            figures.costPerHour.append((sample.time, dollars))
        }
        return figures
    }

    /// Classifies each binding by the best phase it ever reached.
    private static func countOutcomes(_ events: [ScheduleEvent], into figures: inout DemoFigures) {
        var best: [String: DemoOutcome] = [:]
        var lastSummary: [String: String] = [:]
        for event in events {
            best[event.bindingID] = max(best[event.bindingID] ?? .undecided, DemoOutcome(phase: event.phase))
            if event.phase == "Unschedulable" { lastSummary[event.bindingID] = event.summary }
        }
        var reasons: [String: Int] = [:]
        for (binding, outcome) in best {
            switch outcome {
            case .scheduled: figures.scheduled += 1
            case .partiallyScheduled: figures.partiallyScheduled += 1
            case .unschedulable:
                figures.unschedulable += 1
                let summary = lastSummary[binding] ?? ""
                reasons[summary.isEmpty ? "no reason recorded" : summary, default: 0] += 1
            case .undecided: break
            }
        }
        figures.undecided = max(0, figures.submitted - figures.scheduled - figures.partiallyScheduled
                                   - figures.unschedulable)
        figures.rescheduledTotal = events.filter { $0.event == "BindingRescheduled" }.count
        figures.unschedulableReasons = reasons.map { ($0.key, $0.value) }
            .sorted { ($1.count, $0.reason) < ($0.count, $1.reason) }
    }

    /// Follows every binding with replicas on the failed domain from the fault on: which
    /// were there, which got there later, how each one's last replica there left, and when
    /// the last one did.
    private static func measureFailover(_ events: [ScheduleEvent], fault: DemoFault, into figures: inout DemoFigures) {
        var placement: [String: [String: Int]] = [:]
        for event in events where event.time < fault.time {
            placement[event.bindingID] = event.placement
        }
        var onFailed = Set(placement.filter { ($0.value[fault.domain] ?? 0) > 0 }.keys)
        figures.affectedByFailover = onFailed.count
        var seenThere = onFailed
        // The event type that took each binding's last replica off the failed domain.
        var departure: [String: String] = [:]
        var lastMove = fault.time
        for event in events where event.time >= fault.time {
            let before = placement[event.bindingID]?[fault.domain] ?? 0
            let after = event.placement[fault.domain] ?? 0
            placement[event.bindingID] = event.placement
            if event.event == "BindingRescheduled", after < before {
                figures.rescheduledByFailover += 1
                figures.replicasMovedOff += before - after
            }
            if after > 0 {
                if seenThere.insert(event.bindingID).inserted { figures.failoverBindings.placedAfterFault += 1 }
                onFailed.insert(event.bindingID)
                departure[event.bindingID] = nil
            } else if before > 0 {
                onFailed.remove(event.bindingID)
                departure[event.bindingID] = event.event
                lastMove = max(lastMove, event.time)
            }
        }
        figures.failoverBindings.stillThere = onFailed.count
        for type in departure.values {
            switch type {
            case "BindingRescheduled": figures.failoverBindings.movedOff += 1
            case "BindingRemoved": figures.failoverBindings.removed += 1
            default: figures.failoverBindings.leftOtherwise += 1
            }
        }
        figures.failoverSeconds = onFailed.isEmpty ? lastMove - fault.time : nil
    }
}
