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
        let before = candidates.map { $0.waterLevel(gpuModel: task.gpuModel, lift: context.lift(for: $0)) }
        let after = candidates.map { domain -> Double in
            let lift = context.lift(for: domain)
            let capacity = domain.replicaCapacity(for: replica, gpuModel: task.gpuModel,
                                                  limit: task.waterLevelLimit, lift: lift)
            let share = max(1, min(evenShare, capacity))
            return domain.waterLevel(adding: replica.scaled(by: share), gpuModel: task.gpuModel, lift: lift)
        }

        let balance = balanceScores(before: before, after: after)
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

    /// Reduction of the standard deviation of water levels when domain i takes its share,
    /// rescaled so the best candidate scores 1 and the worst 0; 1 for all when they tie.
    ///
    /// Replacing one level changes the mean and one squared deviation, so each candidate's new
    /// spread follows from the old sum of squared deviations in O(1), using
    /// Σ(x − m′)² = Σ(x − m)² + n(m − m′)², and the whole factor costs O(n) instead of O(n²).
    func balanceScores(before: [Double], after: [Double]) -> [Double] {
        guard !before.isEmpty else { return [] }
        let count = Double(before.count)
        let finiteBefore = before.map(finiteLevel)
        let sum = finiteBefore.reduce(0, +)
        let mean = sum / count
        let squaredDeviations = finiteBefore.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        let spreadBefore = (squaredDeviations / count).squareRoot()

        let reductions = before.indices.map { index -> Double in
            let old = finiteBefore[index]
            let new = finiteLevel(after[index])
            let newMean = (sum - old + new) / count
            let shifted = squaredDeviations + count * (mean - newMean) * (mean - newMean)
            let replaced = shifted - (old - newMean) * (old - newMean) + (new - newMean) * (new - newMean)
            return spreadBefore - (max(0, replaced) / count).squareRoot()
        }
        return rescaled(reductions, higherIsBetter: true)
    }

    /// Price of one replica for one hour, rescaled so the cheapest scores 1 and the dearest 0.
    func costScores(_ candidates: [DomainSnapshot]) -> [Double] {
        let needs = context.task.requirements
        let cores = Double(needs.cpuMillis) / 1000
        let gibibytes = Double(needs.memoryBytes) / Double(1 << 30)
        let prices = candidates.map { cores * $0.pricePerCPUHour + gibibytes * $0.pricePerGiBHour }
        return rescaled(prices, higherIsBetter: false)
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

    /// Min–max rescaling to [0, 1]; every value maps to 1 when they are all equal within 1e-12.
    private func rescaled(_ values: [Double], higherIsBetter: Bool) -> [Double] {
        guard let low = values.min(), let high = values.max(), high - low > 1e-12 else {
            return values.map { _ in 1 }
        }
        return values.map { higherIsBetter ? ($0 - low) / (high - low) : (high - $0) / (high - low) }
    }
}
