/// The score of one candidate domain, kept whole so a decision can be explained.
public struct DomainScore: Equatable, Sendable {
    public var domain: String
    /// Each factor's value, from 0 to 1.
    public var factors: [ScoreFactor: Double]
    /// Σ weight × factor with the decision's weights, from 0 to 1.
    public var total: Double

    public init(domain: String, factors: [ScoreFactor: Double], total: Double) {
        self.domain = domain
        self.factors = factors
        self.total = total
    }
}
