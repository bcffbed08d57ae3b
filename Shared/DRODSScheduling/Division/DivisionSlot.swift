/// One domain's standing in a replica division.
public struct DivisionSlot: Equatable, Sendable {
    public var domain: String
    /// Share of the replicas relative to the other slots; 0 takes replicas only after every
    /// positive slot is full.
    public var weight: Double
    /// Replicas the slot starts with (kept from an earlier decision).
    public var seats: Int
    /// Most replicas the slot may end with.
    public var capacity: Int
    /// Replicas the slot receives before any slot above its own minimum, capacity permitting.
    public var minimum: Int
    /// Deterministic tie-break, higher wins a tie; see `StableHash`.
    public var tieBreaker: UInt64

    public init(domain: String, weight: Double, seats: Int = 0, capacity: Int, minimum: Int = 0,
                tieBreaker: UInt64) {
        self.domain = domain
        self.weight = weight
        self.seats = seats
        self.capacity = capacity
        self.minimum = minimum
        self.tieBreaker = tieBreaker
    }
}
