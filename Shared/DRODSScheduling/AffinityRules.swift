/// A task's cluster affinity prepared for checking many domains: the name, provider, region
/// and zone lists as sets, and the labels as pairs. It allows exactly the domains that
/// `AffinityFilter` passes, which `TaskColumnsTests` checks; the filter then words the
/// rejections. At a thousand domains, a task that names its clusters spent most of its
/// decision searching the name list once per domain.
struct AffinityRules {
    private let names: Set<String>
    private let labels: [(key: String, value: String)]
    private let providers: Set<String>
    private let regions: Set<String>
    private let zones: Set<String>

    init(_ rules: PlacementConstraints) {
        names = Set(rules.domainNames)
        labels = rules.labels.map { (key: $0.key, value: $0.value) }
        providers = Set(rules.providers)
        regions = Set(rules.regions)
        zones = Set(rules.zones)
    }

    /// Returns whether `domain` satisfies every non-empty rule. A domain without a provider,
    /// region or zone matches only a list that contains the empty string, as in the filter.
    func allows(_ domain: DomainSnapshot) -> Bool {
        if !names.isEmpty, !names.contains(domain.name) { return false }
        for label in labels where domain.labels[label.key] != label.value { return false }
        if !providers.isEmpty, !providers.contains(domain.provider ?? "") { return false }
        if !regions.isEmpty, !regions.contains(domain.region ?? "") { return false }
        if !zones.isEmpty, !zones.contains(domain.zone ?? "") { return false }
        return true
    }
}
