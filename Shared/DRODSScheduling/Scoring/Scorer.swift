/// Computes the factor scores of candidate domains and combines them with the decision's
/// weights. Every factor is normalised to [0, 1] with 1 the best.
public struct Scorer: Sendable {
    public var context: FilterContext

    public init(context: FilterContext) {
        self.context = context
    }

    /// Totals of scored candidates by position, with what their factor values and capacities
    /// are computed from, so that only the candidates a decision lists or divides over pay
    /// for them. A class, because closures and explanations share it, and copying its arrays
    /// and context retained each of them.
    final class Scored {
        let indices: [Int]
        let totals: [Double]
        /// Level after each candidate's even share of the task.
        let after: [Double]
        /// Price of one replica for one hour, at least 0.
        let prices: [Double]
        /// Every candidate's capacity when scoring needed them or the caller asked for them,
        /// else empty.
        let knownCapacities: [Int]
        let cheapest: Double
        let meanAfter: Double
        let maximumStaticWeight: Int
        /// The network and data locality factors the totals used.
        let latency: LatencyScores

        init(indices: [Int], totals: [Double], after: [Double], prices: [Double], knownCapacities: [Int],
             cheapest: Double, meanAfter: Double, maximumStaticWeight: Int, latency: LatencyScores) {
            self.indices = indices
            self.totals = totals
            self.after = after
            self.prices = prices
            self.knownCapacities = knownCapacities
            self.cheapest = cheapest
            self.meanAfter = meanAfter
            self.maximumStaticWeight = maximumStaticWeight
            self.latency = latency
        }

        /// Returns how many more replicas the candidate at `position` can take.
        func capacity(at position: Int, view: TaskColumns) -> Int {
            knownCapacities.isEmpty ? view.capacity(indices[position]) : knownCapacities[position]
        }
    }

    /// Returns one score per candidate, in the order given.
    public func score(_ candidates: [DomainSnapshot], weights: FactorWeights) -> [DomainScore] {
        let view = TaskColumns(context: context, fleet: FleetColumns(candidates, regionLatencyMs: context.fleet.regionLatencyMs,
                                                                  sortingByName: false))
        let scored = score(view, at: Array(candidates.indices), weights: weights)
        return candidates.indices.map {
            DomainScore(domain: candidates[$0].name, values: factors(at: $0, of: scored, view: view),
                        total: scored.totals[$0])
        }
    }

    /// Returns the scores of the domains at `indices` of the view's columns, in that order.
    ///
    /// Every input comes from the flat columns. Only domains with their own latency
    /// measurements, taints or a static weight read their snapshot. `levelsAfterOne`, when
    /// given, contains each candidate's level after one replica, as the filters computed it.
    func score(_ view: TaskColumns, at indices: [Int], weights: FactorWeights,
               levelsAfterOne: [Double]? = nil, allCapacities: Bool = false) -> Scored {
        let task = context.task
        let fleet = view.fleet
        let needs = task.requirements
        let cores = Double(needs.cpuMillis) / 1000
        let gibibytes = Double(needs.memoryBytes) / Double(1 << 30)

        // Each factor that depends on load looks at the domain after it takes an even share of
        // the task, because that is what a division across all candidates would give it. With
        // at least as many candidates as replicas that share is one replica, and capacity is
        // not needed to bound it.
        let evenShare = indices.isEmpty ? 1 : max(1, (task.replicas + indices.count - 1) / indices.count)
        let capacities = evenShare > 1 || allCapacities ? view.capacities(of: indices) : []
        let count = indices.count
        let after: [Double]
        if evenShare == 1, let levelsAfterOne {
            after = levelsAfterOne
        } else {
            after = indices.indices.map { position in
                let share = evenShare > 1 ? max(1, min(evenShare, capacities[position])) : 1
                if share == 1, let levelsAfterOne { return levelsAfterOne[position] }
                return view.levelAfter(indices[position], replicas: share)
            }
        }
        var levelSum = 0.0
        for level in after { levelSum += finiteLevel(level) }
        var cheapest = Double.infinity
        var prices = [Double](repeating: 0, count: count)
        prices.withUnsafeMutableBufferPointer { prices in
            indices.withUnsafeBufferPointer { indices in
                fleet.pricePerCPUHour.withUnsafeBufferPointer { perCPU in
                    fleet.pricePerGiBHour.withUnsafeBufferPointer { perGiB in
                        for position in 0..<count {
                            let index = indices[position]
                            let price = max(0, cores * perCPU[index] + gibibytes * perGiB[index])
                            prices[position] = price
                            cheapest = min(cheapest, price)
                        }
                    }
                }
            }
        }

        let latency = LatencyScores(context: context, scorer: self, fleet: fleet)
        let meanAfter = indices.isEmpty ? 0 : levelSum / Double(count)
        let maximumStaticWeight = staticWeights.map { $0.values.max() ?? 0 } ?? 0
        let weightValues = FactorValues(weights.values)
        let inputs = FactorInputs(mean: meanAfter, cheapest: cheapest, tolerance: context.configuration.balanceTolerance)
        let slowPreference = staticWeights != nil
        var totals = [Double](repeating: 0, count: count)
        totals.withUnsafeMutableBufferPointer { totals in
            indices.withUnsafeBufferPointer { indices in
                after.withUnsafeBufferPointer { after in
                    prices.withUnsafeBufferPointer { prices in
                        fleet.hasTaints.withUnsafeBufferPointer { hasTaints in
                            for position in 0..<count {
                                let index = indices[position]
                                let preference = slowPreference || hasTaints[index]
                                    ? preferenceScore(fleet.domains[index], maximumStaticWeight: maximumStaticWeight) : 1
                                totals[position] = inputs.values(after: after[position], price: prices[position],
                                                                 latency: latency.scores(of: index, in: fleet),
                                                                 preference: preference)
                                    .weightedSum(weightValues)
                            }
                        }
                    }
                }
            }
        }
        return Scored(indices: indices, totals: totals, after: after, prices: prices, knownCapacities: capacities,
                      cheapest: cheapest, meanAfter: meanAfter, maximumStaticWeight: maximumStaticWeight,
                      latency: latency)
    }

    /// Returns the factor values of the candidate at `position` of `scored`.
    func factors(at position: Int, of scored: Scored, view: TaskColumns) -> FactorValues {
        let index = scored.indices[position]
        let fleet = view.fleet
        let preference = staticWeights != nil || fleet.hasTaints[index]
            ? preferenceScore(fleet.domains[index], maximumStaticWeight: scored.maximumStaticWeight) : 1
        return FactorInputs(mean: scored.meanAfter, cheapest: scored.cheapest,
                            tolerance: context.configuration.balanceTolerance)
            .values(after: scored.after[position], price: scored.prices[position],
                    latency: scored.latency.scores(of: index, in: fleet), preference: preference)
    }

    /// The inputs that every candidate's factors of one decision share.
    private struct FactorInputs {
        let mean: Double
        let balanced: Bool
        let scale: Double
        let cheapest: Double

        init(mean: Double, cheapest: Double, tolerance: Double) {
            self.mean = mean
            balanced = mean > 1e-12 && tolerance > 0
            scale = 2 * tolerance * mean
            self.cheapest = cheapest
        }

        /// Returns the factor values of a candidate whose level after its share is `after`
        /// and whose replica-hour costs `price`.
        @inline(__always)
        func values(after: Double, price: Double, latency: (network: Double, dataLocality: Double),
                    preference: Double) -> FactorValues {
            var factors = FactorValues()
            factors.availability = Scorer.clampUnit(1 - after)
            // Balance: the level after the candidate's share against the mean of those levels,
            // `clamp(1/2 + (mean − after) / (2 · tolerance · mean), 0, 1)`; 1 for all in an
            // idle fleet.
            factors.balance = balanced ? Scorer.clampUnit(0.5 + (mean - Scorer.finiteLevel(after)) / scale) : 1
            factors.network = latency.network
            factors.dataLocality = latency.dataLocality
            // Cost: the cheapest candidate's price over this one's, so a free domain scores 1
            // and makes every priced one 0.
            factors.cost = price <= 0 ? 1 : Scorer.clampUnit(cheapest / price)
            factors.preference = preference
            return factors
        }
    }

    // MARK: - Factors

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

    @inline(__always)
    fileprivate static func clampUnit(_ value: Double) -> Double {
        value.isNaN ? 0 : min(1, max(0, value))
    }

    private func clampUnit(_ value: Double) -> Double {
        Self.clampUnit(value)
    }

    /// An infinite level (a dimension with no total that receives something) counts as full.
    @inline(__always)
    fileprivate static func finiteLevel(_ level: Double) -> Double {
        level.isFinite ? level : 1
    }

    private func finiteLevel(_ level: Double) -> Double {
        Self.finiteLevel(level)
    }
}
