import DRODSCore
import DRODSDomain
import DRODSEventStore
import DRODSScheduling
import Foundation

extension SchedulerLoop {
    /// Updates the binding table from a binding event.
    func applyBinding(_ event: StoredEvent) {
        // This loop's own decisions are in the table since their append; reading them back
        // from the log would decode every explanation again. Removals still go through, for
        // the workload bookkeeping below.
        if Self.decisionTypes.contains(event.type), event.streamID.hasPrefix("binding-"),
           let known = bindings[String(event.streamID.dropFirst(8))],
           known.version >= event.streamVersion {
            return
        }
        guard let data = try? event.decodeData(JSONValue.self), let id = data["bindingId"]?.stringValue,
              let document = data["binding"] else { return }
        let phase = data["phase"]?.stringValue ?? "Pending"
        var state = bindings[id] ?? BindingState(id: id, version: 0, phase: phase, document: document, request: nil,
                                                  seq: event.seq, lastReasons: nil)
        state.version = event.streamVersion
        state.phase = phase
        state.document = document
        if event.type == "BindingRequested" {
            state.request = document["request"].flatMap { try? BindingRequest.validate($0) }
            state.lastReasons = nil
            if id.hasPrefix("wl.") { markBound(id) }
        }
        if event.type == "BindingRemoved", id.hasPrefix("wl.") {
            markUnbound(id)
            endedBindings.remove(id)
        }
        if event.type == "BindingUnschedulable" {
            state.lastReasons = document["explanation"]?["summary"]?.stringValue
        }
        bindings[id] = state
    }

    /// Event types of decisions, whose data repeats the whole binding with its explanation.
    static let decisionTypes: Set<String> = ["BindingScheduled", "BindingUnschedulable", "BindingRescheduled"]

    /// Decides every pending binding, highest priority first, then in arrival order. Each
    /// decision reserves what it placed, so the next one is decided against the room left.
    func placePending() {
        guard !fleet.isEmpty else { return }
        let pending = bindings.pending.sorted { lhs, rhs in
            let left = lhs.request?.priority ?? 0
            let right = rhs.request?.priority ?? 0
            return left != right ? left > right : lhs.seq < rhs.seq
        }
        let now = Date()
        var staged: [StagedDecision] = []
        for binding in pending {
            guard let task = task(for: binding) else { continue }
            let decision = decide(task, options: options(for: binding), now: now)
            guard let change = stage(decision, for: binding) else { continue }
            // Reserved at once, so that the next binding is decided against the room left.
            fleet.reserve(decision.reservations, for: binding.id, at: now)
            staged.append(change)
        }
        // Up to 200 decisions share one statement, so one WAL flush.
        var start = 0
        while start < staged.count {
            commit(Array(staged[start..<min(start + 200, staged.count)]))
            start += 200
        }
    }

    /// Decides `task` against the fleet as it is at `now`, or against each cluster's forecast
    /// peak when the binding's options ask for it.
    func decide(_ task: SchedulingTask, options: SchedulingOptions, now: Date,
                adjusting adjust: (inout FleetSnapshot) -> Void = { _ in }) -> Decision {
        var configuration = settings.core
        var snapshot = fleet.snapshot(now: now)
        adjust(&snapshot)
        if options.scheduleAgainstForecast {
            configuration.scheduleAgainstForecast = true
            snapshot = forecaster.applying(to: snapshot, histories: fleet.loadHistories)
        }
        return Scheduler.decide(task, fleet: snapshot, configuration: configuration)
    }

    /// A decision with the event that records it, not yet appended.
    struct StagedDecision {
        var binding: BindingState
        var decision: Decision
        var event: NewEvent
        var document: JSONValue
        var phase: String
    }

    /// Builds the event of a decision, or returns nil when there is nothing new to record: an
    /// unschedulable binding whose reasons have not changed.
    private func stage(_ decision: Decision, for binding: BindingState) -> StagedDecision? {
        let explanation = Self.explanation(decision)
        let placed = decision.outcome != .unschedulable
        if !placed && explanation["summary"]?.stringValue == binding.lastReasons { return nil }

        let phase = decision.outcome == .scheduled ? "Scheduled" : (placed ? "PartiallyScheduled" : "Unschedulable")
        guard case .object(var document) = binding.document else { return nil }
        document["phase"] = .string(phase)
        document["placement"] = placed
            ? .object(decision.assignments.mapValues { .number(Double($0)) }) : .null
        document["pendingReplicas"] = .number(Double(decision.pendingReplicas))
        document["explanation"] = explanation
        let event = NewEvent(
            type: placed ? "BindingScheduled" : "BindingUnschedulable",
            data: .object(["bindingId": .string(binding.id), "phase": .string(phase), "binding": .object(document)]),
            metadata: EventMetadata(actor: "drods-scheduler", correlationID: binding.id))
        return StagedDecision(binding: binding, decision: decision, event: event, document: .object(document),
                              phase: phase)
    }

    /// Appends staged decisions in one statement; when that fails, one by one, so that a
    /// binding changed concurrently loses only its own decision.
    private func commit(_ staged: [StagedDecision]) {
        let appends = staged.map {
            StreamAppend(streamID: "binding-\($0.binding.id)", expected: .exact($0.binding.version), events: [$0.event])
        }
        var recorded: [Bool]
        if (try? store.append(appends)) != nil {
            recorded = Array(repeating: true, count: staged.count)
        } else {
            recorded = staged.indices.map { index in
                do {
                    try store.append(to: appends[index].streamID, expected: appends[index].expected,
                                     events: appends[index].events)
                    return true
                } catch {
                    // A concurrent append won. This loop reads it from the log and decides again.
                    logger.warning("scheduling decision not recorded", [
                        "binding.id": staged[index].binding.id, .error: String(describing: error),
                    ])
                    return false
                }
            }
        }
        for (change, ok) in zip(staged, recorded) {
            let id = change.binding.id
            guard ok else {
                fleet.release(binding: id)
                continue
            }
            bindings[id]?.phase = change.phase
            bindings[id]?.version += 1
            bindings[id]?.document = change.document
            bindings[id]?.lastReasons = change.document["explanation"]?["summary"]?.stringValue
            logger.info("binding decided", ["binding.id": id, "outcome": change.phase,
                                            "placement": change.decision.assignments.sorted { $0.key < $1.key }
                                                .map { "\($0.key)=\($0.value)" }.joined(separator: ",")])
        }
    }

    /// Returns the scheduling task of a binding, or nil while its workload is missing. Such a
    /// binding stays pending until the workload exists.
    func task(for binding: BindingState) -> SchedulingTask? {
        guard let request = binding.request else { return nil }
        var requirements: ResourceRequirements
        var gpuModel: String?
        var replicas: Int
        switch request.subject {
        case .requirements(let needs, let model):
            requirements = needs
            gpuModel = model
            replicas = request.replicas ?? 1
        case .workload(let reference):
            guard let workload = workload(reference.key) else { return nil }
            requirements = workload.requirements
            gpuModel = workload.hints.gpuModel
            replicas = request.replicas ?? workload.replicas
        }
        let (options, targets) = optionsAndTargets(of: request)
        return SchedulingTask(id: binding.id, replicas: replicas, requirements: requirements, gpuModel: gpuModel,
                              priority: request.priority, options: options, targetClusters: targets)
    }

    func options(for binding: BindingState) -> SchedulingOptions {
        binding.request.map { optionsAndTargets(of: $0).options } ?? SchedulingOptions()
    }

    private func optionsAndTargets(of request: BindingRequest) -> (options: SchedulingOptions, targets: [String]) {
        if let placement = request.placement { return (placement.scheduling, placement.targetClusters) }
        if let name = request.policy, let policy = policy(named: name) { return (policy.options, policy.targets) }
        return (SchedulingOptions(), [])
    }

    static func explanation(_ decision: Decision) -> JSONValue {
        let scores = decision.scores.map { score -> JSONValue in
            var factors: [String: JSONValue] = [:]
            for (factor, value) in score.factors { factors[factor.rawValue] = .number(value) }
            return .object(["cluster": .string(score.domain), "total": .number(score.total), "factors": .object(factors)])
        }
        var weights: [String: JSONValue] = [:]
        for (factor, value) in decision.weights.values { weights[factor.rawValue] = .number(value) }
        let summary = ([decision.filterSummary.text] + decision.reasons).filter { !$0.isEmpty }.joined(separator: "; ")
        return .object([
            "outcome": .string("\(decision.outcome)"), "fleetLoad": .number(decision.fleetLoad),
            "weights": .object(weights), "scores": .array(scores), "summary": .string(summary),
        ])
    }
}
