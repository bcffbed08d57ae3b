/// Rejects domains that are not ready. It applies to running replicas too, so the replicas of a
/// failed domain are moved.
public struct HealthFilter: FilterPlugin {
    public let name = "Health"
    public init() {}

    public func filter(_ domain: DomainSnapshot, context: FilterContext) -> FilterFailure? {
        guard domain.health != .ready else { return nil }
        return FilterFailure(code: .unhealthy, reason: "domain \(domain.health.rawValue)",
                             detail: context.detailed ? "\(domain.name) is \(domain.health.rawValue)" : "")
    }
}
