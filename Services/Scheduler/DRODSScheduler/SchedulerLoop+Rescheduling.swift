import DRODSCore
import DRODSDomain
import DRODSEventStore
import DRODSScheduling
import Foundation

extension SchedulerLoop {
    /// Decides placed bindings again with their current placement as the starting point, and
    /// records those whose placement changes. It takes all of them when a cluster, policy or
    /// workload changed or the fleet's health, taints, labels or sizes did. Otherwise it takes
    /// only those still waiting for some replicas, so that room appearing places them.
    ///
    /// The scheduling core keeps every replica whose cluster still passes the rules that evict,
    /// so a pass over an unchanged fleet records nothing.
    func reschedulePlaced() {
        let now = Date()
        let layout = fleet.layoutChangeCount(now: now)
        let everything = resourcesChanged || layout != lastFleetLayout
        resourcesChanged = false
        lastFleetLayout = layout

        let candidates = everything ? bindings.values.filter(\.isPlaced) : bindings.partlyPlaced
        let placed = candidates
            .sorted { lhs, rhs in lhs.priority != rhs.priority ? lhs.priority > rhs.priority : lhs.seq < rhs.seq }
        for binding in placed {
            guard var task = task(for: binding) else { continue }
            task.existing = binding.placement
            let decision = decide(task, options: options(for: binding), now: now)
            let after = decision.assignments.filter { $0.value > 0 }
            guard after != binding.placement || decision.pendingReplicas != binding.pendingReplicas else { continue }
            recordChange(decision, for: binding, now: now)
        }
    }

    /// Appends `BindingRemoved` for each binding whose workload was deleted, and frees what it
    /// had reserved.
    func removeEnded() {
        for id in endedBindings.sorted() {
            endedBindings.remove(id)
            guard let binding = bindings[id], !binding.isRemoved else { continue }
            if case .workload(let reference) = binding.request?.subject, workload(reference.key) != nil {
                continue  // Created again before this pass: the binding stays.
            }
            guard case .object(var document) = binding.document else { continue }
            document["phase"] = .string("Removed")
            document["placement"] = .null
            document["pendingReplicas"] = .number(0)
            document["explanation"] = .object(["outcome": .string("removed"), "summary": .string("the workload was deleted")])
            let event = NewEvent(
                type: "BindingRemoved",
                data: .object(["bindingId": .string(id), "phase": .string("Removed"), "binding": .object(document),
                               "previousPlacement": .object(binding.placement.mapValues { .number(Double($0)) })]),
                metadata: EventMetadata(actor: "drods-scheduler", correlationID: id))
            do {
                try store.append(to: "binding-\(id)", expected: .exact(binding.version), events: [event])
            } catch {
                // The removal is already in the log, or a newer event is; this loop reads it.
                logger.info("binding removal not recorded", ["binding.id": id, .error: String(describing: error)])
                continue
            }
            fleet.release(binding: id)
            bindings[id]?.phase = "Removed"
            bindings[id]?.version += 1
            bindings[id]?.document = .object(document)
            logger.info("binding removed with its workload", ["binding.id": id])
        }
    }

    func recordChange(_ decision: Decision, for binding: BindingState, now: Date, reason given: String? = nil) {
        let moved = decision.moves.contains { $0.from != nil }
        let reason = given ?? Self.reason(for: decision, before: binding, fleet: fleet.snapshot(now: now))
        let phase = decision.pendingReplicas == 0 ? "Scheduled" : "PartiallyScheduled"
        guard case .object(var document) = binding.document else { return }

        var explanation = Self.explanation(decision)
        if case .object(var members) = explanation {
            members["moves"] = .array(decision.moves.map { move in
                .object(["from": move.from.map(JSONValue.string) ?? .null, "to": move.to.map(JSONValue.string) ?? .null,
                         "replicas": .number(Double(move.replicas))])
            })
            members["retained"] = .object(decision.retained.mapValues { .number(Double($0)) })
            members["reason"] = .string(reason)
            explanation = .object(members)
        }

        document["phase"] = .string(phase)
        document["placement"] = .object(decision.assignments.filter { $0.value > 0 }.mapValues { .number(Double($0)) })
        document["pendingReplicas"] = .number(Double(decision.pendingReplicas))
        document["explanation"] = explanation
        let event = NewEvent(
            type: moved ? "BindingRescheduled" : "BindingScheduled",
            data: .object(["bindingId": .string(binding.id), "phase": .string(phase), "binding": .object(document)]),
            metadata: EventMetadata(actor: "drods-scheduler", correlationID: binding.id))
        do {
            try store.append(to: "binding-\(binding.id)", expected: .exact(binding.version), events: [event])
        } catch {
            logger.warning("rescheduling decision not recorded", ["binding.id": binding.id, .error: String(describing: error)])
            return
        }

        fleet.reserve(decision.reservations, for: binding.id, at: now)
        bindings[binding.id]?.phase = phase
        bindings[binding.id]?.version += 1
        bindings[binding.id]?.document = .object(document)
        logger.info(moved ? "binding rescheduled" : "pending replicas placed", [
            "binding.id": binding.id, "reason": reason, "moved": String(decision.movedReplicas),
            "placement": decision.assignments.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
                .joined(separator: ","),
        ])
    }

    /// Says why replicas left their clusters, or what else changed.
    static func reason(for decision: Decision, before binding: BindingState, fleet: FleetSnapshot) -> String {
        var parts: [String] = []
        let sources = Set(decision.moves.compactMap(\.from)).union(decision.retained.keys).sorted()
        for name in sources {
            guard let domain = fleet.domain(named: name) else {
                parts.append("cluster \(name) was removed")
                continue
            }
            if domain.health != .ready {
                parts.append("cluster \(name) is \(domain.health.rawValue)")
            } else if domain.taints.contains(where: { $0.effect == .noExecute }) {
                parts.append("cluster \(name) has a NoExecute taint")
            } else {
                parts.append("cluster \(name) no longer fits the policy or its replicas")
            }
        }
        let before = binding.placement.values.reduce(0, +) + binding.pendingReplicas
        let after = decision.assignments.values.reduce(0, +) - decision.retained.values.reduce(0, +)
            + decision.pendingReplicas
        if before != after { parts.append("replicas changed from \(before) to \(after)") }
        if parts.isEmpty && decision.pendingReplicas < binding.pendingReplicas {
            parts.append("room appeared for \(binding.pendingReplicas - decision.pendingReplicas) pending replicas")
        }
        if !decision.retained.isEmpty {
            parts.append("\(decision.retained.values.reduce(0, +)) replicas fit nowhere else and stay where they are, pending")
        }
        return parts.isEmpty ? "the placement changed" : parts.joined(separator: "; ")
    }
}
