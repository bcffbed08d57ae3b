/// Additive Holt-Winters (triple exponential smoothing) over a domain's water-level history,
/// with one seasonal cycle of `period` samples (a day, for daily seasonality).
///
/// With level ℓ, trend b, seasonal terms s and smoothing factors α, β, γ, each sample x_t updates
///
///     ℓ_t = α (x_t − s_{t−m}) + (1 − α)(ℓ_{t−1} + b_{t−1})
///     b_t = β (ℓ_t − ℓ_{t−1}) + (1 − β) b_{t−1}
///     s_t = γ (x_t − ℓ_t) + (1 − γ) s_{t−m}
///
/// and the forecast h samples ahead is ℓ_n + h·b_n + s_{n+h−m}. The first cycle sets ℓ to its
/// mean and s to each sample's difference from that mean. The trend starts as the change of
/// the mean between the first two cycles, divided by the cycle length.
public struct HoltWintersForecast: Equatable, Sendable {
    /// Samples per seasonal cycle, for example 288 for one day of 5-minute samples.
    public var period: Int
    /// Level smoothing, in (0, 1]; default 0.3.
    public var alpha: Double
    /// Trend smoothing, in [0, 1]; default 0.05.
    public var beta: Double
    /// Seasonal smoothing, in [0, 1]; default 0.2.
    public var gamma: Double

    public init(period: Int, alpha: Double = 0.3, beta: Double = 0.05, gamma: Double = 0.2) {
        self.period = max(1, period)
        self.alpha = alpha
        self.beta = beta
        self.gamma = gamma
    }

    /// Returns the forecast for the `steps` samples after `history`, oldest first.
    ///
    /// With fewer than two full cycles there is no seasonal estimate, so every step gets the mean
    /// of the last cycle, or of all samples when there are fewer. An empty history gives an
    /// empty forecast.
    public func forecast(_ history: [Double], steps: Int) -> [Double] {
        guard !history.isEmpty, steps > 0 else { return [] }
        let m = period
        guard history.count >= 2 * m else {
            let recent = history.suffix(m)
            let mean = recent.reduce(0, +) / Double(recent.count)
            return Array(repeating: mean, count: steps)
        }

        let firstMean = history[0..<m].reduce(0, +) / Double(m)
        let secondMean = history[m..<(2 * m)].reduce(0, +) / Double(m)
        var level = firstMean
        var trend = (secondMean - firstMean) / Double(m)
        var seasonal = history[0..<m].map { $0 - firstMean }

        for t in m..<history.count {
            let observation = history[t]
            let previousSeasonal = seasonal[t % m]
            let previousLevel = level
            level = alpha * (observation - previousSeasonal) + (1 - alpha) * (level + trend)
            trend = beta * (level - previousLevel) + (1 - beta) * trend
            seasonal[t % m] = gamma * (observation - level) + (1 - gamma) * previousSeasonal
        }

        let n = history.count
        return (1...steps).map { h in level + Double(h) * trend + seasonal[(n + h - 1) % m] }
    }

    /// Returns the highest water level forecast over the next cycle, clamped to [0, 1]; nil for
    /// an empty history.
    public func nextPeriodPeak(_ history: [Double]) -> Double? {
        forecast(history, steps: period).max().map { min(1, max(0, $0)) }
    }

    /// Returns a copy of `fleet` whose domains carry the next-cycle peak of their history as
    /// `forecastWaterLevel`; domains without a history keep theirs.
    public func applying(to fleet: FleetSnapshot, histories: [String: [Double]]) -> FleetSnapshot {
        var copy = fleet
        for index in copy.domains.indices {
            if let history = histories[copy.domains[index].name], let peak = nextPeriodPeak(history) {
                copy.domains[index].forecastWaterLevel = peak
            }
        }
        return copy
    }
}
