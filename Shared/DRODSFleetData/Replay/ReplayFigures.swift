/// What one strategy achieved over a replay.
public struct ReplayFigures: Equatable, Sendable {
    public var strategy: String
    /// Pods with a positive lifetime that arrived.
    public var pods: Int
    public var placed: Int
    /// Pods the strategy found no domain for.
    public var rejectedNoDomain: Int
    /// Pods sent to a domain where no single node could hold them.
    public var rejectedNoNode: Int
    /// Time-weighted mean of the highest domain water level.
    public var maxWaterLevelMean: Double
    /// Time-weighted 95th percentile of the highest domain water level.
    public var maxWaterLevelP95: Double
    /// Time-weighted mean of the population standard deviation of the domains' water levels.
    public var waterLevelSpread: Double
    public var replicasMoved: Int
    /// Time-weighted mean, in US dollars per hour, of the CPU and memory in use at each
    /// domain's prices; GPUs are not priced because the price table has no GPU prices.
    public var costPerHour: Double

    public var rejected: Int { rejectedNoDomain + rejectedNoNode }
}
