/// Settings of the scheduler that are not part of a task.
public struct SchedulerConfiguration: Sendable {
    /// Latency in milliseconds at which the network and data locality factors reach 0; default 300.
    public var maxLatencyMs: Double
    /// Factor applied to the preference score per untolerated PreferNoSchedule taint; default 0.5.
    public var preferNoSchedulePenalty: Double
    /// Whether water levels are planned as max(current, forecast); default false.
    public var scheduleAgainstForecast: Bool
    public var weightAdaptation: WeightAdaptation
    public var filters: FilterRegistry

    public init(maxLatencyMs: Double = 300, preferNoSchedulePenalty: Double = 0.5,
                scheduleAgainstForecast: Bool = false, weightAdaptation: WeightAdaptation = WeightAdaptation(),
                filters: FilterRegistry = .standard) {
        self.maxLatencyMs = maxLatencyMs
        self.preferNoSchedulePenalty = preferNoSchedulePenalty
        self.scheduleAgainstForecast = scheduleAgainstForecast
        self.weightAdaptation = weightAdaptation
        self.filters = filters
    }
}
