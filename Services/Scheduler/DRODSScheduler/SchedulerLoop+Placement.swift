import DRODSCore
import DRODSDomain
import DRODSEventStore
import DRODSScheduling
import Foundation

extension SchedulerLoop {
    /// Updates the binding table from a binding event.
    func applyBinding(_ event: StoredEvent) {
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

    /// Decides every pending binding, highest priority first, then in arrival order. Each
    /// decision reserves what it placed, so the next one is decided against the room left.
    func placePending() {
        guard !fleet.isEmpty else { return }
        let pending = bindings.values.filter(\.isPending).sorted { lhs, rhs in
            let left = lhs.request?.priority ?? 0
            let right = rhs.request?.priority ?? 0
            return left != right ? left > right : lhs.seq < rhs.seq
        }
        for binding in pending {
            let now = Date()
            guard let task = task(for: binding) else { continue }
            let decision = decide(task, options: options(for: binding), now: now)
            record(decision, for: binding, now: now)
        }
    }

    /// Decides `task` against the fleet as it is at `now`, or against each cluster's forecast
    /// peak when the binding's options ask for it.
    func decide(_ task: SchedulingTask, options: SchedulingOptions, now: Date) -> Decision {
        var configuration = settings.core
        var snapshot = fleet.snapshot(now: now)
        if options.scheduleAgainstForecast {
            configuration.scheduleAgainstForecast = true
            snapshot = forecaster.applying(to: snapshot, histories: fleet.loadHistories)
        }
        return Scheduler.decide(task, fleet: snapshot, configuration: configuration)
    }

    private func record(_ decision: Decision, for binding: BindingState, now: Date) {
        let explanation = Self.explanation(decision)
        let placed = decision.outcome != .unschedulable
        if !placed && explanation["summary"]?.stringValue == binding.lastReasons { return }

        let phase = decision.outcome == .scheduled ? "Scheduled" : (placed ? "PartiallyScheduled" : "Unschedulable")
        guard case .object(var document) = binding.document else { return }
        document["phase"] = .string(phase)
        document["placement"] = placed
            ? .object(decision.assignments.mapValues { .number(Double($0)) }) : .null
        document["pendingReplicas"] = .number(Double(decision.pendingReplicas))
        document["explanation"] = explanation
        let event = NewEvent(
            type: placed ? "BindingScheduled" : "BindingUnschedulable",
            data: .object(["bindingId": .string(binding.id), "phase": .string(phase), "binding": .object(document)]),
            metadata: EventMetadata(actor: "drods-scheduler", correlationID: binding.id))
        do {
            try store.append(to: "binding-\(binding.id)", expected: .exact(binding.version), events: [event])
        } catch {
            // A concurrent append won. This loop reads it from the log and decides again.
            logger.warning("scheduling decision not recorded", ["binding.id": binding.id, .error: String(describing: error)])
            return
        }
        for reservation in decision.reservations { fleet.reserve(reservation, for: binding.id, at: now) }
        bindings[binding.id]?.phase = phase
        bindings[binding.id]?.version += 1
        bindings[binding.id]?.document = .object(document)
        bindings[binding.id]?.lastReasons = explanation["summary"]?.stringValue
        logger.info("binding decided", ["binding.id": binding.id, "outcome": phase,
                                        "placement": decision.assignments.sorted { $0.key < $1.key }
                                            .map { "\($0.key)=\($0.value)" }.joined(separator: ",")])
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
