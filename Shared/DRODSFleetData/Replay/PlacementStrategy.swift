import DRODSScheduling

/// A rule that picks the member cluster for each arriving pod of a replay.
public protocol PlacementStrategy {
    /// Name in reports, such as `drods` or `round_robin`.
    var name: String { get }

    /// Returns the index in `domains` of the domain that gets `pod`, or nil when the strategy
    /// finds none. `fleet` holds the domains' snapshots in the same order.
    mutating func chooseDomain(for pod: TracePod, domains: [ReplayDomain], fleet: FleetSnapshot) -> Int?

    /// Replicas the strategy moved between domains so far; 0 for strategies that never move.
    var replicasMoved: Int { get }
}

extension PlacementStrategy {
    public var replicasMoved: Int { 0 }
}
