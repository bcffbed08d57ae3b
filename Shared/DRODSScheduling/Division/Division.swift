/// The outcome of dividing a task's replicas.
public struct Division: Equatable, Sendable {
    /// Replicas per domain; domains with 0 are left out.
    public var counts: [String: Int]
    /// Replicas (for duplicated tasks, replica copies) that fit nowhere.
    public var unplaced: Int
    /// Constraints that could not be honoured, in plain text.
    public var notes: [String]
    /// Whether at least `minDomains` domains could take replicas.
    public var meetsMinDomains: Bool
    /// `counts` in the order of the divider's candidates, when it produced them in that order
    /// without ranking; nil otherwise.
    var orderedCounts: [(name: String, count: Int)]?

    public static func == (lhs: Division, rhs: Division) -> Bool {
        lhs.counts == rhs.counts && lhs.unplaced == rhs.unplaced && lhs.notes == rhs.notes
            && lhs.meetsMinDomains == rhs.meetsMinDomains
    }

    public init(counts: [String: Int], unplaced: Int, notes: [String] = [], meetsMinDomains: Bool = true) {
        self.counts = counts.values.contains { $0 <= 0 } ? counts.filter { $0.value > 0 } : counts
        self.unplaced = unplaced
        self.notes = notes
        self.meetsMinDomains = meetsMinDomains
    }

    public var placed: Int { counts.values.reduce(0, +) }
}
