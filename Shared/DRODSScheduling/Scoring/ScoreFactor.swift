/// A normalised criterion, from 0 (worst) to 1 (best), that scores a candidate domain.
public enum ScoreFactor: String, CaseIterable, Codable, Sendable {
    /// 1 − the domain's water level after placement.
    case availability
    /// How much placing here narrows the spread of water levels across the candidates.
    case balance
    /// Latency from the domain to the task's users, data and dependencies.
    case network
    /// 1 in the data's region, falling with the latency to it elsewhere.
    case dataLocality
    /// 1 for the cheapest candidate per replica-hour, 0 for the most expensive.
    case cost
    /// Static weights of the task, lowered by untolerated PreferNoSchedule taints.
    case preference

    /// Hashes the case alone. The synthesized conformance of a String-backed enum hashes the
    /// raw string, which made factor dictionaries a measurable part of every decision.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(ScoreFactor.allCases.firstIndex(of: self) ?? 0)
    }
}
