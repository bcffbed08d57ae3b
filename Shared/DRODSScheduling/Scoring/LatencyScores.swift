/// The network and data locality factors of the domains of one decision, remembered per region.
///
/// Without its own measurements a domain's latencies depend only on its region, and a fleet has
/// far fewer regions than domains, so each region's pair of factors is computed once. Domains
/// with measurements are computed one by one.
struct LatencyScores {
    private let scorer: Scorer
    private let needsLatency: Bool
    /// Factors per region index of the fleet's columns; the last slot is for domains without a
    /// region.
    private var pairs: [(network: Double, dataLocality: Double)?]

    init(context: FilterContext, scorer: Scorer, regionCount: Int) {
        self.scorer = scorer
        let locality = context.task.locality
        needsLatency = locality.dataRegion != nil || !locality.userRegions.isEmpty
            || !locality.dependencyRegions.isEmpty
        pairs = needsLatency ? Array(repeating: nil, count: regionCount + 1) : []
    }

    /// Returns the network and data locality factors of the domain at `index` of `fleet`.
    mutating func scores(of index: Int, in fleet: FleetColumns) -> (network: Double, dataLocality: Double) {
        guard needsLatency else { return (1, 1) }
        guard !fleet.hasMeasuredLatency[index] else { return compute(fleet.domains[index]) }
        let slot = fleet.regionIndex[index]
        if let pair = pairs[slot] { return pair }
        let pair = compute(fleet.domains[index])
        pairs[slot] = pair
        return pair
    }

    private func compute(_ domain: DomainSnapshot) -> (network: Double, dataLocality: Double) {
        (scorer.networkScore(domain), scorer.dataLocalityScore(domain))
    }
}
