/// The score of one candidate domain, kept whole so a decision can be explained.
public struct DomainScore: Equatable, Sendable {
    public var domain: String
    /// Σ weight × factor with the decision's weights, from 0 to 1.
    public var total: Double
    var values: FactorValues

    public init(domain: String, factors: [ScoreFactor: Double], total: Double) {
        self.domain = domain
        self.values = FactorValues(factors)
        self.total = total
    }

    init(domain: String, values: FactorValues, total: Double) {
        self.domain = domain
        self.values = values
        self.total = total
    }

    /// Each factor's value, from 0 to 1. A factor missing from a dictionary that is set
    /// counts as 0.
    public var factors: [ScoreFactor: Double] {
        get { values.dictionary }
        set { values = FactorValues(newValue) }
    }
}
