/// The network and data locality factors of the domains of one decision, remembered per region.
///
/// Without its own measurements a domain's latencies depend only on its region, and a fleet has
/// far fewer regions than domains, so each region's pair of factors is computed once. Domains
/// with measurements are computed one by one.
struct LatencyScores {
    private let scorer: Scorer
    private let needsLatency: Bool
    /// Factors per region seen so far. Few regions make a linear search on short strings
    /// cheaper than hashing.
    private var regions: [String?] = []
    private var pairs: [(network: Double, dataLocality: Double)] = []

    init(context: FilterContext, scorer: Scorer) {
        self.scorer = scorer
        let locality = context.task.locality
        needsLatency = locality.dataRegion != nil || !locality.userRegions.isEmpty
            || !locality.dependencyRegions.isEmpty
    }

    /// Returns the network and data locality factors of `domain`.
    mutating func scores(for domain: DomainSnapshot) -> (network: Double, dataLocality: Double) {
        guard needsLatency else { return (1, 1) }
        guard domain.latencyMs.isEmpty else {
            return (scorer.networkScore(domain), scorer.dataLocalityScore(domain))
        }
        if let position = regions.firstIndex(where: { $0 == domain.region }) { return pairs[position] }
        let pair = (scorer.networkScore(domain), scorer.dataLocalityScore(domain))
        regions.append(domain.region)
        pairs.append(pair)
        return pair
    }
}
