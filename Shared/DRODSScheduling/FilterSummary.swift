/// Filter failures of one decision, grouped by reason.
public struct FilterSummary: Equatable, Sendable {
    /// The first failure of each rejected domain, by domain name.
    public var failures: [String: FilterFailure]

    public init(failures: [String: FilterFailure] = [:]) {
        self.failures = failures
    }

    /// Number of rejected domains per short reason.
    public var countsByReason: [String: Int] {
        failures.values.reduce(into: [:]) { counts, failure in counts[failure.reason, default: 0] += 1 }
    }

    /// Text such as "2 domains: insufficient gpu; 3 domains: water level above 0.85", with the
    /// reasons in alphabetical order; empty when no domain was rejected.
    public var text: String {
        countsByReason.sorted { $0.key < $1.key }.map { reason, count in
            "\(count) \(count == 1 ? "domain" : "domains"): \(reason)"
        }.joined(separator: "; ")
    }
}
