/// Computes the factor scores of candidate domains and combines them with the decision's
/// weights. Every factor is normalised to [0, 1] with 1 the best.
public struct Scorer: Sendable {
    public var context: FilterContext

    public init(context: FilterContext) {
        self.context = context
    }

    /// Returns one score per candidate, in the order given.
    public func score(_ candidates: [DomainSnapshot], weights: FactorWeights) -> [DomainScore] {
        guard !candidates.isEmpty else { return [] }
        let task = context.task
        let replica = task.replicaResources

        // Each factor that depends on load looks at the domain after it takes an even share of
        // the task, because that is what a division across all candidates would give it.
        let evenShare = max(1, (task.replicas + candidates.count - 1) / candidates.count)
        let after = candidates.map { domain -> Double in
            let lift = context.lift(for: domain)
            let capacity = domain.replicaCapacity(for: replica, gpuModel: task.gpuModel,
                                                  limit: task.waterLevelLimit, lift: lift)
            let share = max(1, min(evenShare, capacity))
            return domain.waterLevel(adding: replica.scaled(by: share), gpuModel: task.gpuModel, lift: lift)
        }

        let balance = balanceScores(after: after)
        let cost = costScores(candidates)
        let maximumStaticWeight = staticWeights.map { $0.values.max() ?? 0 } ?? 0

        return candidates.indices.map { index in
            let domain = candidates[index]
            var factors = [ScoreFactor: Double](minimumCapacity: ScoreFactor.allCases.count)
            factors[.availability] = clampUnit(1 - after[index])
            factors[.balance] = balance[index]
            factors[.network] = networkScore(domain)
            factors[.dataLocality] = dataLocalityScore(domain)
            factors[.cost] = cost[index]
            factors[.preference] = preferenceScore(domain, maximumStaticWeight: maximumStaticWeight)
            let total = ScoreFactor.allCases.reduce(0) { $0 + weights[$1] * (factors[$1] ?? 0) }
            return DomainScore(domain: domain.name, factors: factors, total: total)
        }
    }

    // MARK: - Factors

    /// Scores each candidate's level after its share against the mean of those levels:
    /// `clamp(1/2 + (mean − after) / (2 · tolerance · mean), 0, 1)`.
    ///
    /// A candidate at the mean scores 1/2, one `tolerance` × mean below it 1 and one as far
    /// above it 0. The distance is a fraction of the mean, so a gap of a tenth of the mean
    /// weighs the same in an idle fleet as in a busy one. Candidates that are already level
    /// score nearly alike, and the other factors decide between them. All score 1 when the
    /// mean is 0.
    func balanceScores(after: [Double]) -> [Double] {
        guard !after.isEmpty else { return [] }
        let levels = after.map(finiteLevel)
        let mean = levels.reduce(0, +) / Double(levels.count)
        let tolerance = context.configuration.balanceTolerance
        guard mean > 1e-12, tolerance > 0 else { return levels.map { _ in 1 } }
        let scale = 2 * tolerance * mean
        return levels.map { clampUnit(0.5 + (mean - $0) / scale) }
    }

    /// Price of one replica for one hour as a fraction of the cheapest candidate's:
    /// `cheapest / price`, so the cheapest scores 1 and one at twice its price 1/2. A ratio keeps
    /// the small price gaps between regions small, where rescaling to [0, 1] made any gap span
    /// the whole range. All score 1 when every price is 0, and priced candidates score 0 when
    /// another one is free.
    func costScores(_ candidates: [DomainSnapshot]) -> [Double] {
        let needs = context.task.requirements
        let cores = Double(needs.cpuMillis) / 1000
        let gibibytes = Double(needs.memoryBytes) / Double(1 << 30)
        let prices = candidates.map { max(0, cores * $0.pricePerCPUHour + gibibytes * $0.pricePerGiBHour) }
        guard let cheapest = prices.min() else { return [] }
        return prices.map { price in price <= 0 ? 1 : clampUnit(cheapest / price) }
    }

    /// `max(0, 1 − mean latency / maxLatencyMs)` over the users', data and dependency regions;
    /// an unknown latency counts as `maxLatencyMs`. 1 when the task names no region.
    func networkScore(_ domain: DomainSnapshot) -> Double {
        let regions = context.task.locality.networkRegions
        guard !regions.isEmpty else { return 1 }
        let limit = context.configuration.maxLatencyMs
        let latencies = regions.map { context.fleet.latencyMs(from: domain, to: $0) ?? limit }
        let mean = latencies.reduce(0, +) / Double(latencies.count)
        return clampUnit(1 - mean / limit)
    }

    /// 1 in the data region, otherwise `max(0, 1 − latency / maxLatencyMs)`; 1 without a data region.
    func dataLocalityScore(_ domain: DomainSnapshot) -> Double {
        guard let dataRegion = context.task.locality.dataRegion else { return 1 }
        let limit = context.configuration.maxLatencyMs
        let latency = context.fleet.latencyMs(from: domain, to: dataRegion) ?? limit
        return clampUnit(1 - latency / limit)
    }

    /// Returns the static weight relative to the largest one (1 when the task has none), times
    /// `preferNoSchedulePenalty` for each PreferNoSchedule taint the task does not tolerate.
    func preferenceScore(_ domain: DomainSnapshot, maximumStaticWeight: Int) -> Double {
        var score = 1.0
        if let staticWeights {
            score = maximumStaticWeight > 0
                ? Double(staticWeights[domain.name] ?? 0) / Double(maximumStaticWeight) : 0
        }
        let tolerations = context.task.constraints.tolerations
        let penalised = domain.taints.filter { taint in
            taint.effect == .preferNoSchedule && !tolerations.contains { $0.tolerates(taint) }
        }
        for _ in penalised { score *= context.configuration.preferNoSchedulePenalty }
        return clampUnit(score)
    }

    // MARK: - Helpers

    private var staticWeights: [String: Int]? {
        if case .staticWeights(let weights) = context.task.division { return weights }
        return nil
    }

    private func clampUnit(_ value: Double) -> Double {
        value.isNaN ? 0 : min(1, max(0, value))
    }

    /// An infinite level (a dimension with no total that receives something) counts as full.
    private func finiteLevel(_ level: Double) -> Double {
        level.isFinite ? level : 1
    }
}
