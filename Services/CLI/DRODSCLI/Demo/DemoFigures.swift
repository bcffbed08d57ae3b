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
    /// cluster.
    var rescheduledByFailover = 0
    /// All `BindingRescheduled` events, including moves that rebalance the fleet.
    var rescheduledTotal = 0
    /// Bindings that had replicas on the failed cluster at the moment of the fault.
    var affectedByFailover = 0
    /// Seconds from the fault until no affected binding had a replica left there. It is nil
    /// without a fault, and while some affected binding still has replicas there.
    var failoverSeconds: Double?
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
        var best: [String: Int] = [:]
        var lastSummary: [String: String] = [:]
        for event in events {
            let rank: Int
            switch event.phase {
            case "Scheduled": rank = 3
            case "PartiallyScheduled": rank = 2
            case "Unschedulable": rank = 1
            default: rank = 0
            }
            best[event.bindingID] = max(best[event.bindingID] ?? 0, rank)
            if event.phase == "Unschedulable" { lastSummary[event.bindingID] = event.summary }
        }
        var reasons: [String: Int] = [:]
        for (binding, rank) in best {
            switch rank {
            case 3: figures.scheduled += 1
            case 2: figures.partiallyScheduled += 1
            case 1:
                figures.unschedulable += 1
                let summary = lastSummary[binding] ?? ""
                reasons[summary.isEmpty ? "no reason recorded" : summary, default: 0] += 1
            default: break
            }
        }
        figures.undecided = max(0, figures.submitted - figures.scheduled - figures.partiallyScheduled
                                   - figures.unschedulable)
        figures.rescheduledTotal = events.filter { $0.event == "BindingRescheduled" }.count
        figures.unschedulableReasons = reasons.map { ($0.key, $0.value) }
            .sorted { ($1.count, $0.reason) < ($0.count, $1.reason) }
    }

    /// Finds the bindings on the failed domain at the fault and when each left it.
    private static func measureFailover(_ events: [ScheduleEvent], fault: DemoFault, into figures: inout DemoFigures) {
        var placement: [String: [String: Int]] = [:]
        for event in events where event.time < fault.time {
            placement[event.bindingID] = event.placement
        }
        var pending = Set(placement.filter { ($0.value[fault.domain] ?? 0) > 0 }.keys)
        figures.affectedByFailover = pending.count
        var lastMove = fault.time
        for event in events where event.time >= fault.time {
            let before = placement[event.bindingID]?[fault.domain] ?? 0
            let after = event.placement[fault.domain] ?? 0
            placement[event.bindingID] = event.placement
            if event.event == "BindingRescheduled", after < before { figures.rescheduledByFailover += 1 }
            guard pending.contains(event.bindingID), after == 0 else { continue }
            pending.remove(event.bindingID)
            lastMove = max(lastMove, event.time)
        }
        figures.failoverSeconds = pending.isEmpty ? lastMove - fault.time : nil
    }
}
