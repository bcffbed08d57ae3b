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
        for factor in ScoreFactor.allCases { self[factor] = values[factor] ?? 0 }
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
        var clamped = FactorValues()
        var sum = 0.0
        for factor in ScoreFactor.allCases {
            clamped[factor] = max(0, self[factor])
            sum += clamped[factor]
        }
        var result = FactorValues()
        let equal = 1 / Double(ScoreFactor.allCases.count)
        for factor in ScoreFactor.allCases { result[factor] = sum > 0 ? clamped[factor] / sum : equal }
        return result
    }

    var dictionary: [ScoreFactor: Double] {
        var result = [ScoreFactor: Double](minimumCapacity: ScoreFactor.allCases.count)
        for factor in ScoreFactor.allCases { result[factor] = self[factor] }
        return result
    }
}
