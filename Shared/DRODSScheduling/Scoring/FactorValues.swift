/// One number per score factor, stored inline in `ScoreFactor.allCases` order so that scoring a
/// candidate allocates nothing; `[ScoreFactor: Double]` costs a heap buffer and six hashes.
struct FactorValues: Equatable, Sendable {
    var availability = 0.0
    var balance = 0.0
    var network = 0.0
    var dataLocality = 0.0
    var cost = 0.0
    var preference = 0.0

    init() {}

    init(_ values: [ScoreFactor: Double]) {
        availability = values[.availability] ?? 0
        balance = values[.balance] ?? 0
        network = values[.network] ?? 0
        dataLocality = values[.dataLocality] ?? 0
        cost = values[.cost] ?? 0
        preference = values[.preference] ?? 0
    }

    subscript(factor: ScoreFactor) -> Double {
        get {
            switch factor {
            case .availability: return availability
            case .balance: return balance
            case .network: return network
            case .dataLocality: return dataLocality
            case .cost: return cost
            case .preference: return preference
            }
        }
        set {
            switch factor {
            case .availability: availability = newValue
            case .balance: balance = newValue
            case .network: network = newValue
            case .dataLocality: dataLocality = newValue
            case .cost: cost = newValue
            case .preference: preference = newValue
            }
        }
    }

    /// Returns Σ weight × value, added in `ScoreFactor.allCases` order so the sum rounds the
    /// same way as a reduce over the cases.
    func weightedSum(_ weights: FactorValues) -> Double {
        var sum = 0.0
        sum += weights.availability * availability
        sum += weights.balance * balance
        sum += weights.network * network
        sum += weights.dataLocality * dataLocality
        sum += weights.cost * cost
        sum += weights.preference * preference
        return sum
    }

    /// Returns the values scaled to sum to 1, with negatives clamped to 0; equal values when
    /// every value is 0. Sums in `ScoreFactor.allCases` order.
    func normalised() -> FactorValues {
        let clamped = [max(0, availability), max(0, balance), max(0, network),
                       max(0, dataLocality), max(0, cost), max(0, preference)]
        var sum = 0.0
        for value in clamped { sum += value }
        let equal = 1 / Double(clamped.count)
        func share(_ value: Double) -> Double { sum > 0 ? value / sum : equal }
        var result = FactorValues()
        result.availability = share(clamped[0])
        result.balance = share(clamped[1])
        result.network = share(clamped[2])
        result.dataLocality = share(clamped[3])
        result.cost = share(clamped[4])
        result.preference = share(clamped[5])
        return result
    }

    var dictionary: [ScoreFactor: Double] {
        [.availability: availability, .balance: balance, .network: network,
         .dataLocality: dataLocality, .cost: cost, .preference: preference]
    }
}
