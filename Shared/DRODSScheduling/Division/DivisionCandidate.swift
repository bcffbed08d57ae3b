/// A domain that may hold the task's replicas, with the numbers the divider uses.
public struct DivisionCandidate: Equatable, Sendable {
    public var domain: String
    /// Total score of the domain; 0 for a domain that only keeps running replicas.
    public var score: Double
    /// Running replicas the domain keeps.
    public var kept: Int
    /// Further replicas the domain can take (0 when it fails the filters for new replicas).
    public var additionalCapacity: Int
    public var bounds: ReplicaBounds
    public var tieBreaker: UInt64

    public init(domain: String, score: Double, kept: Int = 0, additionalCapacity: Int,
                bounds: ReplicaBounds = ReplicaBounds(), tieBreaker: UInt64) {
        self.domain = domain
        self.score = score
        self.kept = kept
        self.additionalCapacity = additionalCapacity
        self.bounds = bounds
        self.tieBreaker = tieBreaker
    }

    /// Most replicas the domain may end with: kept plus additional capacity, within its maximum.
    public var capacity: Int {
        let fitting = kept + additionalCapacity
        return bounds.maximum.map { min($0, fitting) } ?? fitting
    }

    /// Returns whether `self` is chosen before `other`. Domains with running replicas come
    /// first, so fewer replicas move, then higher scores, then the tie-break.
    func ranksBefore(_ other: DivisionCandidate) -> Bool {
        if (kept > 0) != (other.kept > 0) { return kept > 0 }
        if score != other.score { return score > other.score }
        if tieBreaker != other.tieBreaker { return tieBreaker > other.tieBreaker }
        return domain < other.domain
    }
}
