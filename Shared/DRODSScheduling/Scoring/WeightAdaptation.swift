/// Rules that move the factor weights with the live state of the fleet and the task.
///
/// With `L` the mean water level of the healthy domains, the load signal is
/// `s = clamp((L − pivotLoad) / loadSpan, −1, 1)`: −1 when the fleet is idle, +1 when it is full.
/// With `q = priority / 1000`:
///
/// - availability × (1 + loadSensitivity·s) × (1 + prioritySensitivity·q)
/// - balance × (1 + loadSensitivity·s)
/// - cost × (1 − loadSensitivity·s) × (1 − prioritySensitivity·q)
/// - network × surgeMultiplier during a traffic surge
///
/// then the weights are renormalised to sum to 1.
public struct WeightAdaptation: Equatable, Sendable {
    public var base: FactorWeights
    /// Mean water level at which the load leaves the base weights unchanged; default 0.5.
    public var pivotLoad: Double
    /// Distance from the pivot at which the load signal saturates; default 0.3.
    public var loadSpan: Double
    /// Largest relative change the load makes, from 0 to 1; default 0.5.
    public var loadSensitivity: Double
    /// Largest relative change priority 1000 makes, from 0 to 1; default 0.5.
    public var prioritySensitivity: Double
    /// Factor on the network weight during a traffic surge; default 2.
    public var surgeMultiplier: Double

    public init(base: FactorWeights = .standard, pivotLoad: Double = 0.5, loadSpan: Double = 0.3,
                loadSensitivity: Double = 0.5, prioritySensitivity: Double = 0.5,
                surgeMultiplier: Double = 2) {
        self.base = base
        self.pivotLoad = pivotLoad
        self.loadSpan = loadSpan
        self.loadSensitivity = loadSensitivity
        self.prioritySensitivity = prioritySensitivity
        self.surgeMultiplier = surgeMultiplier
    }

    /// Returns the weights for a fleet at mean water level `fleetLoad`, a task of `priority`
    /// (0 to 1000) and the given surge flag, summing to 1.
    public func weights(fleetLoad: Double, priority: Int, trafficSurge: Bool) -> FactorWeights {
        let span = loadSpan > 0 ? loadSpan : 1
        let signal = min(1, max(-1, (fleetLoad - pivotLoad) / span))
        let urgency = Double(min(1000, max(0, priority))) / 1000

        // Inline values, then one dictionary for the result: this runs for every decision.
        var weights = FactorValues(base.values)
        weights.availability *= (1 + loadSensitivity * signal) * (1 + prioritySensitivity * urgency)
        weights.balance *= 1 + loadSensitivity * signal
        weights.cost *= (1 - loadSensitivity * signal) * (1 - prioritySensitivity * urgency)
        if trafficSurge { weights.network *= surgeMultiplier }
        return FactorWeights(weights.normalised().dictionary)
    }
}
