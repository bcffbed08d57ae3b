/// Computes the factor scores of candidate domains and combines them with the decision's
/// weights. Every factor is normalised to [0, 1] with 1 the best.
public struct Scorer: Sendable {
    public var context: FilterContext

    public init(context: FilterContext) {
        self.context = context
    }

    /// Returns one score per candidate, in the order given.
    public func score(_ candidates: [DomainSnapshot], weights: FactorWeights) -> [DomainScore] {
        score(candidates, at: Array(candidates.indices), weights: weights).scores
    }

    /// Returns the scores of `domains[indices]`, in the order of `indices`, and how many more
    /// replicas each of them can take.
    ///
    /// Every per-domain input is read once into a flat array, and no dictionary or resource
    /// vector is built per domain, because this loop is much of a decision's time.
    func score(_ domains: [DomainSnapshot], at indices: [Int],
               weights: FactorWeights) -> (scores: [DomainScore], capacities: [Int]) {
        guard !indices.isEmpty else { return ([], []) }
        let task = context.task
        let replica = context.replicaResources
        let gpuModel = task.gpuModel
        let limit = task.waterLevelLimit

        // Each factor that depends on load looks at the domain after it takes an even share of
        // the task, because that is what a division across all candidates would give it.
        let evenShare = max(1, (task.replicas + indices.count - 1) / indices.count)
        var capacities = [Int](repeating: 0, count: indices.count)
        var after = [Double](repeating: 0, count: indices.count)
        for (position, index) in indices.enumerated() {
            let lift = context.lift(for: domains[index])
            let capacity = domains[index].replicaCapacity(for: replica, gpuModel: gpuModel, limit: limit, lift: lift)
            capacities[position] = capacity
            let share = max(1, min(evenShare, capacity))
            after[position] = domains[index].bottleneckLevel(adding: share, of: replica, gpuModel: gpuModel, lift: lift)
        }

        let balance = balanceScores(after: after)
        let cost = costScores(domains, at: indices)
        let maximumStaticWeight = staticWeights.map { $0.values.max() ?? 0 } ?? 0
        var weightValues = FactorValues()
        for factor in ScoreFactor.allCases { weightValues[factor] = weights[factor] }
        var latencyScores = LatencyScores(context: context, scorer: self)

        var scores: [DomainScore] = []
        scores.reserveCapacity(indices.count)
        for (position, index) in indices.enumerated() {
            var values = FactorValues()
            values.availability = clampUnit(1 - after[position])
            values.balance = balance[position]
            (values.network, values.dataLocality) = latencyScores.scores(for: domains[index])
            values.cost = cost[position]
            values.preference = preferenceScore(domains[index], maximumStaticWeight: maximumStaticWeight)
            scores.append(DomainScore(domain: domains[index].name, values: values,
                                      total: values.weightedSum(weightValues)))
        }
        return (scores, capacities)
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
    func costScores(_ domains: [DomainSnapshot], at indices: [Int]) -> [Double] {
        let needs = context.task.requirements
        let cores = Double(needs.cpuMillis) / 1000
        let gibibytes = Double(needs.memoryBytes) / Double(1 << 30)
        var prices = [Double](repeating: 0, count: indices.count)
        var cheapest = Double.infinity
        for (position, index) in indices.enumerated() {
            let price = max(0, cores * domains[index].pricePerCPUHour + gibibytes * domains[index].pricePerGiBHour)
            prices[position] = price
            cheapest = min(cheapest, price)
        }
        for position in prices.indices {
            let price = prices[position]
            prices[position] = price <= 0 ? 1 : clampUnit(cheapest / price)
        }
        return prices
    }

    /// `max(0, 1 − mean latency / maxLatencyMs)` over the users', data and dependency regions;
    /// an unknown latency counts as `maxLatencyMs`. 1 when the task names no region.
    func networkScore(_ domain: DomainSnapshot) -> Double {
        let regions = context.task.locality.networkRegions
        guard !regions.isEmpty else { return 1 }
        let limit = context.configuration.maxLatencyMs
        var sum = 0.0
        for region in regions { sum += context.fleet.latencyMs(from: domain, to: region) ?? limit }
        return clampUnit(1 - sum / Double(regions.count) / limit)
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
        for taint in domain.taints
        where taint.effect == .preferNoSchedule && !tolerations.contains(where: { $0.tolerates(taint) }) {
            score *= context.configuration.preferNoSchedulePenalty
        }
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
