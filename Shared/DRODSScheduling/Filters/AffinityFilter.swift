/// Rejects domains outside the task's allowed names, labels, providers, regions and zones.
public struct AffinityFilter: FilterPlugin {
    public let name = "Affinity"
    public init() {}

    public func filter(_ domain: DomainSnapshot, context: FilterContext) -> FilterFailure? {
        let rules = context.task.constraints
        func failure(_ rule: String, _ detail: @autoclosure () -> String) -> FilterFailure {
            FilterFailure(code: .affinityMismatch, reason: "\(rule) not allowed",
                          detail: context.detailed ? "\(domain.name): \(detail())" : "")
        }

        if !rules.domainNames.isEmpty, !rules.domainNames.contains(domain.name) {
            return failure("domain name", "not in the task's domain list")
        }
        for (key, value) in rules.labels.sorted(by: { $0.key < $1.key }) where domain.labels[key] != value {
            return failure("labels", "label \(key)=\(value) is missing")
        }
        if !rules.providers.isEmpty, !rules.providers.contains(domain.provider ?? "") {
            return failure("provider", "provider \(domain.provider ?? "(none)") is not in \(rules.providers)")
        }
        if !rules.regions.isEmpty, !rules.regions.contains(domain.region ?? "") {
            return failure("region", "region \(domain.region ?? "(none)") is not in \(rules.regions)")
        }
        if !rules.zones.isEmpty, !rules.zones.contains(domain.zone ?? "") {
            return failure("zone", "zone \(domain.zone ?? "(none)") is not in \(rules.zones)")
        }
        return nil
    }
}
