/// A normalised criterion, from 0 (worst) to 1 (best), that scores a candidate domain.
public enum ScoreFactor: String, CaseIterable, Codable, Sendable {
    /// 1 − the domain's water level after placement.
    case availability
    /// Distance of the domain's water level after placement below the candidates' mean, as a
    /// fraction of that mean. A domain at the mean scores 1/2.
    case balance
    /// Latency from the domain to the task's users, data and dependencies.
    case network
    /// 1 in the data's region, falling with the latency to it elsewhere.
    case dataLocality
    /// The cheapest candidate's price per replica-hour divided by this domain's; 1 for the
    /// cheapest.
    case cost
    /// Static weights of the task, lowered by untolerated PreferNoSchedule taints.
    case preference

    /// Hashes the case alone. The synthesized conformance of a String-backed enum hashes the
    /// raw string, and looking the case up in `allCases` allocates that array on every call;
    /// either made factor dictionaries a measurable part of every decision.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(ordinal)
    }

    /// The case's position in `allCases`.
    var ordinal: Int {
        switch self {
        case .availability: return 0
        case .balance: return 1
        case .network: return 2
        case .dataLocality: return 3
        case .cost: return 4
        case .preference: return 5
        }
    }
}
