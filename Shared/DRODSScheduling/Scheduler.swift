/// The scheduling pipeline for one task: filter, score, divide, reserve.
///
/// `decide` is a pure function of its arguments: the same task, fleet and configuration give the
/// same decision, in any process.
public enum Scheduler {
    /// Decides where the task's replicas run.
    ///
    /// Running replicas (`task.existing`) stay on domains that still pass the filters that
    /// evict (health, affinity, capabilities, GPU model, NoExecute taints) and still have room
    /// for them. Only the rest move, and new replicas go where the division puts them. Replicas
    /// of a failed domain that fit nowhere else stay assigned to it and count as pending.
    public static func decide(_ task: SchedulingTask, fleet: FleetSnapshot,
                              configuration: SchedulerConfiguration = SchedulerConfiguration()) -> Decision {
        let placing = FilterContext(task: task, fleet: fleet, configuration: configuration)
        let keeping = FilterContext(task: task, fleet: fleet, configuration: configuration,
                                    purpose: .keepingRunningReplicas)
        let domains = inNameOrder(fleet.domains)
        let existing = task.existing.filter { $0.value > 0 }

        // Weights follow the load of the whole ready fleet, not only of the candidates.
        let fleetLoad = meanWaterLevel(domains, context: placing)
        let weights = configuration.weightAdaptation.weights(
            fleetLoad: fleetLoad, priority: task.priority, trafficSurge: fleet.trafficSurge)

        // Filter. Candidates are indices into `domains`, so passing snapshots are not copied
        // into a second array.
        var failures: [String: FilterFailure] = [:]
        var candidates: [Int] = []
        candidates.reserveCapacity(domains.count)
        for index in domains.indices {
            if let failure = configuration.filters.firstFailure(of: domains[index], context: placing) {
                failures[domains[index].name] = failure
            } else {
                candidates.append(index)
            }
        }
        let summary = FilterSummary(failures: failures)

        // Score, then rank best first with each tie-break hashed once.
        let (unranked, capacities) = Scorer(context: placing).score(domains, at: candidates, weights: weights)
        let tieBreakers = unranked.map { StableHash.tieBreaker(taskID: task.id, domain: $0.domain) }
        let order = unranked.indices.sorted { lhs, rhs in
            if unranked[lhs].total != unranked[rhs].total { return unranked[lhs].total > unranked[rhs].total }
            return tieBreakers[lhs] > tieBreakers[rhs]
        }
        let scores = order.map { unranked[$0] }

        var decision = Decision(
            taskID: task.id, outcome: .unschedulable, assignments: existing, retained: [:],
            pendingReplicas: task.replicas, moves: [], reservations: [], scores: scores,
            weights: weights, fleetLoad: fleetLoad, filterSummary: summary, reasons: [])

        let problems = task.validationProblems()
        guard problems.isEmpty else {
            decision.reasons = problems
            return decision
        }

        // Keep what may stay.
        var kept: [String: Int] = [:]
        var displaced: [String: Int] = [:]
        for (name, count) in existing.sorted(by: { $0.key < $1.key }) {
            guard let domain = fleet.domain(named: name),
                  configuration.filters.firstFailure(of: domain, context: keeping) == nil else {
                displaced[name] = count
                continue
            }
            let keepable = max(0, count - overflowReplicas(domain, task: task))
            if keepable > 0 { kept[name] = keepable }
            if keepable < count { displaced[name] = count - keepable }
        }

        // Divide.
        let division = ReplicaDivider(replicas: task.replicas, mode: task.division,
                                      minDomains: task.minDomains, maxDomains: task.maxDomains)
            .divide(divisionCandidates(task: task, ranked: order, scores: unranked, capacities: capacities,
                                       tieBreakers: tieBreakers, kept: kept))
        var reasons = division.notes
        for (name, bounds) in task.replicaBounds.sorted(by: { $0.key < $1.key })
        where bounds.minimum > 0 && kept[name] == nil && !unranked.contains(where: { $0.domain == name }) {
            let why = failures[name]?.detail ?? "\(name) is not in the fleet"
            reasons.append("minimum of \(bounds.minimum) replicas in \(name) cannot be honoured: \(why)")
        }

        let complete = division.unplaced == 0 && division.meetsMinDomains
        if !complete {
            var shortfall = "\(division.unplaced) of \(task.replicas) replicas do not fit"
            if !summary.text.isEmpty { shortfall += " (\(summary.text))" }
            reasons.append(shortfall)
        }
        let keptTotal = kept.values.reduce(0, +)
        guard complete || (task.allowPartialPlacement && (division.placed > 0 || !displaced.isEmpty)) else {
            decision.retained = displaced
            decision.pendingReplicas = max(division.unplaced, task.replicas - keptTotal)
            decision.reasons = reasons
            return decision
        }

        // Replicas that fit nowhere stay on the domains they were displaced from.
        var assignments = division.counts
        var retained: [String: Int] = [:]
        var toRetain = division.unplaced
        for (name, count) in displaced.sorted(by: { $0.key < $1.key }) where toRetain > 0 {
            let held = min(count, toRetain)
            retained[name] = held
            assignments[name, default: 0] += held
            toRetain -= held
        }

        let replica = task.replicaResources
        let reservations = assignments.keys.sorted().compactMap { name -> Reservation? in
            let added = (assignments[name] ?? 0) - (existing[name] ?? 0)
            guard added > 0 else { return nil }
            return Reservation(domain: name, replicas: added, resources: replica.scaled(by: added))
        }

        decision.outcome = complete ? .scheduled : .partial
        decision.assignments = assignments
        decision.retained = retained
        decision.pendingReplicas = division.unplaced
        decision.moves = ReplicaMove.changes(from: existing, to: assignments)
        decision.reservations = reservations
        decision.reasons = reasons
        return decision
    }

    // MARK: - Steps

    /// Returns the division candidates in rank order: the scored ones (`ranked` indexes the
    /// parallel arrays), then domains that keep running replicas but take no new ones.
    private static func divisionCandidates(task: SchedulingTask, ranked: [Int], scores: [DomainScore],
                                           capacities: [Int], tieBreakers: [UInt64],
                                           kept: [String: Int]) -> [DivisionCandidate] {
        var result: [DivisionCandidate] = []
        result.reserveCapacity(ranked.count + kept.count)
        for position in ranked {
            let name = scores[position].domain
            result.append(DivisionCandidate(
                domain: name, score: scores[position].total,
                kept: kept.isEmpty ? 0 : kept[name] ?? 0, additionalCapacity: capacities[position],
                bounds: task.replicaBounds.isEmpty ? ReplicaBounds() : task.replicaBounds[name] ?? ReplicaBounds(),
                tieBreaker: tieBreakers[position]))
        }
        guard !kept.isEmpty else { return result }
        let scored = Set(scores.map(\.domain))
        for (name, count) in kept.sorted(by: { $0.key < $1.key }) where !scored.contains(name) {
            result.append(DivisionCandidate(
                domain: name, score: 0, kept: count, additionalCapacity: 0,
                bounds: task.replicaBounds[name] ?? ReplicaBounds(),
                tieBreaker: StableHash.tieBreaker(taskID: task.id, domain: name)))
        }
        return result
    }

    /// Replicas of the task that no longer fit a domain whose used and reserved resources exceed
    /// its total (for example after it lost nodes): the excess divided by one replica's need,
    /// rounded up, in the worst dimension.
    private static func overflowReplicas(_ domain: DomainSnapshot, task: SchedulingTask) -> Int {
        let replica = task.replicaResources
        var worst: Int64 = 0
        for dimension in ResourceDimension.allCases {
            let need = replica.amount(dimension, gpuModel: task.gpuModel)
            guard need > 0 else { continue }
            let excess = domain.used.amount(dimension, gpuModel: task.gpuModel)
                + domain.reserved.amount(dimension, gpuModel: task.gpuModel)
                - domain.total.amount(dimension, gpuModel: task.gpuModel)
            if excess > 0 { worst = max(worst, (excess + need - 1) / need) }
        }
        return Int(clamping: worst)
    }

    /// Returns the domains sorted by name. Fleets usually arrive sorted, and checking that takes
    /// n comparisons where sorting takes about n log n.
    private static func inNameOrder(_ domains: [DomainSnapshot]) -> [DomainSnapshot] {
        var sorted = true
        for index in domains.indices.dropFirst() where !(domains[index - 1].name < domains[index].name) {
            sorted = false
            break
        }
        return sorted ? domains : domains.sorted { $0.name < $1.name }
    }

    /// Mean planning water level of the ready domains, each clamped to [0, 1]; 0 without any.
    private static func meanWaterLevel(_ domains: [DomainSnapshot], context: FilterContext) -> Double {
        var sum = 0.0
        var count = 0
        for index in domains.indices where domains[index].health == .ready {
            sum += min(1, max(0, domains[index].waterLevel(lift: context.lift(for: domains[index]))))
            count += 1
        }
        return count == 0 ? 0 : sum / Double(count)
    }
}
