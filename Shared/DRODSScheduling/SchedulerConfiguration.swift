/// Settings of the scheduler that are not part of a task.
public struct SchedulerConfiguration: Sendable {
    /// Latency in milliseconds at which the network and data locality factors reach 0; default 300.
    public var maxLatencyMs: Double
    /// Factor applied to the preference score per untolerated PreferNoSchedule taint; default 0.5.
    public var preferNoSchedulePenalty: Double
    /// Distance from the candidates' mean water level at which the balance factor reaches 0
    /// above the mean and 1 below it, as a fraction of that mean; default 0.1.
    public var balanceTolerance: Double
    /// Whether water levels are planned as max(current, forecast); default false.
    public var scheduleAgainstForecast: Bool
    /// How many of the best-scored candidates a decision lists with their factor scores, besides
    /// every domain that receives replicas; default 10.
    public var explainedDomains: Int
    /// Number of rejected domains, the first in name order, whose detailed filter failure a
    /// decision keeps. Every rejected domain is counted by reason either way. Default 0,
    /// because formatting the details cost more than the rest of a decision.
    public var explainedRejections: Int
    public var weightAdaptation: WeightAdaptation
    public var filters: FilterRegistry

    public init(maxLatencyMs: Double = 300, preferNoSchedulePenalty: Double = 0.5,
                balanceTolerance: Double = 0.1,
                scheduleAgainstForecast: Bool = false, explainedDomains: Int = 10, explainedRejections: Int = 0,
                weightAdaptation: WeightAdaptation = WeightAdaptation(),
                filters: FilterRegistry = .standard) {
        self.maxLatencyMs = maxLatencyMs
        self.preferNoSchedulePenalty = preferNoSchedulePenalty
        self.balanceTolerance = balanceTolerance
        self.scheduleAgainstForecast = scheduleAgainstForecast
        self.explainedDomains = explainedDomains
        self.explainedRejections = explainedRejections
        self.weightAdaptation = weightAdaptation
        self.filters = filters
    }
}
