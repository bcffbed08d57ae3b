/// Filter failures of one decision, grouped by reason.
public struct FilterSummary: Equatable, Sendable {
    /// The first failure of rejected domains, by domain name: of all of them, or of the first
    /// ones in name order when a decision explains only a few domains one by one.
    public var failures: [String: FilterFailure]
    /// Number of rejected domains per short reason, over every rejected domain.
    public var countsByReason: [String: Int]

    /// Creates the summary of exactly `failures`.
    public init(failures: [String: FilterFailure] = [:]) {
        self.failures = failures
        countsByReason = failures.values.reduce(into: [:]) { counts, failure in counts[failure.reason, default: 0] += 1 }
    }

    /// Creates a summary that details `failures` and counts `countsByReason`.
    public init(failures: [String: FilterFailure], countsByReason: [String: Int]) {
        self.failures = failures
        self.countsByReason = countsByReason
    }

    /// Number of rejected domains.
    public var rejectedCount: Int {
        countsByReason.values.reduce(0, +)
    }

    /// Text such as "2 domains: insufficient gpu; 3 domains: water level above 0.85", with the
    /// reasons in alphabetical order; empty when no domain was rejected.
    public var text: String {
        countsByReason.sorted { $0.key < $1.key }.map { reason, count in
            "\(count) \(count == 1 ? "domain" : "domains"): \(reason)"
        }.joined(separator: "; ")
    }
}
