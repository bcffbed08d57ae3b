/// The network and data locality factors of the domains of one decision, per region.
///
/// Without its own measurements a domain's latencies depend only on its region, and a fleet has
/// far fewer regions than domains, so each region's pair of factors is computed once, from the
/// fleet's flat latency matrix. Domains with measurements are computed one by one.
struct LatencyScores {
    private let scorer: Scorer
    private let needsLatency: Bool
    /// Factors per region index of the fleet's columns; the slot after the domains' regions
    /// is for domains without a region.
    private let pairs: [(network: Double, dataLocality: Double)]

    init(context: FilterContext, scorer: Scorer, fleet: FleetColumns) {
        self.scorer = scorer
        let locality = context.task.locality
        needsLatency = locality.dataRegion != nil || !locality.userRegions.isEmpty
            || !locality.dependencyRegions.isEmpty
        guard needsLatency else {
            pairs = []
            return
        }
        let limit = context.configuration.maxLatencyMs
        let count = fleet.regions.count
        let networkTargets = locality.networkRegions.map { fleet.regionPositions[$0] }
        let dataTarget = locality.dataRegion.map { fleet.regionPositions[$0] }
        // The same arithmetic, in the same order, as `Scorer.networkScore` and
        // `Scorer.dataLocalityScore`, so both paths give equal values.
        func latency(_ from: Int, _ to: Int?) -> Double {
            guard from < fleet.domainRegionCount, let to else { return limit }
            let value = fleet.regionLatencyMs[from * count + to]
            return value.isNaN ? limit : value
        }
        func clamp(_ value: Double) -> Double { value.isNaN ? 0 : min(1, max(0, value)) }
        pairs = (0...fleet.domainRegionCount).map { slot in
            var network = 1.0
            if !networkTargets.isEmpty {
                var sum = 0.0
                for target in networkTargets { sum += latency(slot, target) }
                network = clamp(1 - sum / Double(networkTargets.count) / limit)
            }
            let dataLocality = dataTarget.map { clamp(1 - latency(slot, $0) / limit) } ?? 1
            return (network, dataLocality)
        }
    }

    /// Returns the network and data locality factors of the domain at `index` of `fleet`.
    func scores(of index: Int, in fleet: FleetColumns) -> (network: Double, dataLocality: Double) {
        guard needsLatency else { return (1, 1) }
        guard !fleet.hasMeasuredLatency[index] else {
            let domain = fleet.domains[index]
            return (scorer.networkScore(domain), scorer.dataLocalityScore(domain))
        }
        return pairs[fleet.regionIndex[index]]
    }
}
