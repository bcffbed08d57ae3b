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
        let columns = fleet.columns
        let domains = columns.domains
        let view = TaskColumns(context: placing, fleet: columns)
        let existing = task.existing.filter { $0.value > 0 }

        // Weights follow the load of the whole ready fleet, not only of the candidates.
        let fleetLoad = configuration.scheduleAgainstForecast ? columns.meanLevelWithForecast : columns.meanLevel
        let weights = configuration.weightAdaptation.weights(
            fleetLoad: fleetLoad, priority: task.priority, trafficSurge: fleet.trafficSurge)

        // Filter. The standard plugins' checks run on the columns, and a plugin runs only to word
        // each kind of rejection and to detail the first few rejected domains. A registry that
        // is not the standard one runs its plugins on every domain.
        let standardFilters = configuration.filters.isStandard
        let explainedCount = max(0, configuration.explainedDomains)
        let detailedCount = max(0, configuration.explainedRejections)
        var failures: [String: FilterFailure] = [:]
        var tally = RejectionTally()
        var candidates: [Int] = []
        var levelsAfterOne: [Double]?
        // The same context without details, for rejections that are only counted.
        var counting: FilterContext?
        func explain(_ index: Int, _ rejection: StandardRejection?) {
            let detailed = failures.count < detailedCount
            if !detailed, counting == nil {
                counting = placing
                counting?.detailed = false
            }
            // The plugins have the last word: a domain they pass is a candidate.
            guard let failure = configuration.filters.firstFailure(of: domains[index],
                                                                   context: detailed ? placing : counting ?? placing) else {
                candidates.append(index)
                return
            }
            if detailed { failures[domains[index].name] = failure }
            if let rejection { tally.record(rejection, reason: failure.reason) } else { tally.record(reason: failure.reason) }
        }
        if standardFilters {
            let scan = view.scan(context: placing)
            candidates = scan.candidates
            levelsAfterOne = scan.levelsAfterOne
            for (index, stage) in scan.stages.enumerated() where stage != StandardRejection.passed {
                let rejection = view.rejection(of: index, stage: stage)
                if failures.count >= detailedCount, tally.countIfKnown(rejection) { continue }
                explain(index, rejection)
            }
            if candidates.count != scan.candidates.count {
                // A plugin passed a domain the scan rejected; keep column order.
                levelsAfterOne = nil
                candidates.sort()
            }
        } else {
            candidates.reserveCapacity(domains.count)
            for index in domains.indices { explain(index, nil) }
        }
        let summary = FilterSummary(failures: failures, countsByReason: tally.countsByReason)

        // Score, then rank only what is needed: the best few to explain, and for a plain new
        // task its best usable candidates. The divider ranks what it receives itself.
        // Without `few`, the division reads every candidate's capacity, and one batch pass
        // finds them cheaper than one call each.
        let few = fewCandidatesSuffice(task, existing: existing)
        let scored = Scorer(context: placing).score(view, at: candidates, weights: weights,
                                                    levelsAfterOne: levelsAfterOne, allCapacities: few == nil)
        let ranking = CandidateRanking(taskID: task.id, fleet: columns, indices: candidates, totals: scored.totals)
        let capacity = { (position: Int) in scored.capacity(at: position, view: view) }
        let explained: [Int]
        let order: [Int]
        if let few {
            let totals = scored.totals
            let usable: (Int) -> Bool = switch few {
            case .positiveScoreAndRoom: { totals[$0] > 0 && capacity($0) > 0 }
            case .room: { capacity($0) > 0 }
            }
            // One pass finds the best of both lists; the usable ones among them usually
            // suffice, and otherwise a second pass looks further down.
            let best = ranking.top(max(explainedCount, task.replicas))
            explained = Array(best.prefix(explainedCount))
            let usableBest = Array(best.lazy.filter(usable).prefix(task.replicas))
            order = usableBest.count == task.replicas || best.count == candidates.count
                ? usableBest : ranking.top(task.replicas, where: usable)
        } else {
            explained = ranking.top(explainedCount)
            order = Array(candidates.indices)
        }
        let scorer = Scorer(context: placing)
        func domainScore(_ position: Int) -> DomainScore {
            DomainScore(domain: domains[candidates[position]].name,
                        values: scorer.factors(at: position, of: scored, view: view),
                        total: scored.totals[position])
        }
        let scores = explained.map(domainScore)

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
        let keeping = existing.isEmpty ? placing
            : FilterContext(task: task, fleet: fleet, configuration: configuration, purpose: .keepingRunningReplicas)
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
            .divide(divisionCandidates(task: task, order: order, ranking: ranking, capacity: capacity, kept: kept))
        var reasons = division.notes
        let candidateNames = task.replicaBounds.isEmpty ? [] : Set(candidates.map { domains[$0].name })
        for (name, bounds) in task.replicaBounds.sorted(by: { $0.key < $1.key })
        where bounds.minimum > 0 && kept[name] == nil && !candidateNames.contains(name) {
            let why = fleet.domain(named: name)
                .flatMap { configuration.filters.firstFailure(of: $0, context: placing)?.detail }
                ?? "\(name) is not in the fleet"
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

        // Assigned domains in name order. Without running replicas every one is a candidate, and
        // candidates are in name order, so a duplicated task spread over most of a large fleet
        // needs no sort of hundreds of names. Its divider already lists them in that order.
        let assigned: [(name: String, count: Int)]
        if existing.isEmpty, retained.isEmpty, let ordered = division.orderedCounts {
            assigned = ordered
        } else if existing.isEmpty, assignments.count > 64 {
            assigned = candidates.compactMap { index in
                let name = domains[index].name
                return assignments[name].map { (name, $0) }
            }
        } else {
            assigned = assignments.keys.sorted().map { ($0, assignments[$0] ?? 0) }
        }
        let replica = task.replicaResources
        // Domains in a row often receive the same count (every one, for a duplicated task), so
        // the last count's resources are scaled once and reused.
        var lastScaled = (count: 1, resources: replica)
        var reservations: [Reservation] = []
        reservations.reserveCapacity(assigned.count)
        for (name, count) in assigned {
            let added = count - (existing.isEmpty ? 0 : existing[name] ?? 0)
            guard added > 0 else { continue }
            if added != lastScaled.count { lastScaled = (added, replica.scaled(by: added)) }
            reservations.append(Reservation(domain: name, replicas: added, resources: lastScaled.resources))
        }

        // Up to as many again of the domains that receive replicas are explained even when they
        // rank below the best few. `order` is in rank order for a plain new task and in name
        // order otherwise.
        // At most twice `explainedDomains` positions: a linear search beats hashing names.
        var listed = explained
        for position in order where listed.count < 2 * explainedCount && !listed.contains(position) {
            if assignments[domains[candidates[position]].name] != nil {
                listed.append(position)
                decision.scores.append(domainScore(position))
            }
        }

        decision.outcome = complete ? .scheduled : .partial
        decision.assignments = assignments
        decision.retained = retained
        decision.pendingReplicas = division.unplaced
        decision.moves = existing.isEmpty
            ? assigned.map { ReplicaMove(from: nil, to: $0.name, replicas: $0.count) }
            : ReplicaMove.changes(from: existing, to: assignments)
        decision.reservations = reservations
        decision.reasons = reasons
        return decision
    }

    // MARK: - Steps

    /// The condition a candidate must meet to count as usable, when the division needs only
    /// the best `replicas` usable candidates in rank order.
    private enum UsableCandidate {
        case positiveScoreAndRoom
        case room
    }

    /// Returns the usable-candidate test when the division needs only the best `replicas`
    /// usable candidates in rank order, or nil when it needs all of them.
    ///
    /// Without running replicas, bounds or a domain minimum, a proportional division gives
    /// each of its first replicas to a different usable candidate in rank order. An aggregated
    /// one fills candidates in rank order. Each usable candidate takes at least one replica, so
    /// no candidate behind the first `replicas` usable ones receives any.
    private static func fewCandidatesSuffice(_ task: SchedulingTask, existing: [String: Int]) -> UsableCandidate? {
        guard existing.isEmpty, task.replicaBounds.isEmpty, task.minDomains == nil else { return nil }
        switch task.division {
        case .dynamicWeights: return .positiveScoreAndRoom
        case .aggregated: return .room
        case .duplicated, .staticWeights: return nil
        }
    }

    /// Returns the division candidates: the scored ones at the positions of `order`, then
    /// domains that keep running replicas but take no new ones.
    private static func divisionCandidates(task: SchedulingTask, order: [Int], ranking: CandidateRanking,
                                           capacity: (Int) -> Int, kept: [String: Int]) -> [DivisionCandidate] {
        let domains = ranking.fleet.domains
        var result: [DivisionCandidate] = []
        result.reserveCapacity(order.count + kept.count)
        for position in order {
            let name = domains[ranking.indices[position]].name
            result.append(DivisionCandidate(
                domain: name, score: ranking.totals[position],
                kept: kept.isEmpty ? 0 : kept[name] ?? 0, additionalCapacity: capacity(position),
                bounds: task.replicaBounds.isEmpty ? ReplicaBounds() : task.replicaBounds[name] ?? ReplicaBounds(),
                tieBreaker: 0))
        }
        // A duplicated task without a domain limit that enough domains can hold is divided
        // without ranking, so its hundreds of candidates need no tie-break.
        let unranked = task.division == .duplicated && task.maxDomains == nil
            && result.lazy.filter { $0.capacity >= task.replicas }.count >= max(1, task.minDomains ?? 1)
        if !unranked {
            for (offset, position) in order.enumerated() { result[offset].tieBreaker = ranking.tieBreaker(position) }
        }
        guard !kept.isEmpty else { return result }
        let scored = Set(ranking.indices.map { domains[$0].name })
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
}
