/// Rule that spreads a task's replicas over the selected domains.
public enum DivisionMode: Equatable, Codable, Sendable {
    /// Every selected domain runs the full replica count.
    case duplicated
    /// Divided in proportion to fixed weights per domain name; unnamed domains get none.
    case staticWeights([String: Int])
    /// Divided in proportion to each domain's total score.
    case dynamicWeights
    /// Packed into as few domains as possible, best score first.
    case aggregated
}
