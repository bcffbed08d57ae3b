/// A weight per score factor. The scheduler always uses them renormalised to sum to 1.
public struct FactorWeights: Equatable, Sendable {
    public var values: [ScoreFactor: Double]

    public init(_ values: [ScoreFactor: Double]) {
        self.values = values
    }

    /// Base weights before adaptation: availability 0.25, balance 0.20, network 0.15,
    /// data locality 0.10, cost 0.15, preference 0.15.
    public static let standard = FactorWeights([
        .availability: 0.25, .balance: 0.20, .network: 0.15,
        .dataLocality: 0.10, .cost: 0.15, .preference: 0.15,
    ])

    public subscript(factor: ScoreFactor) -> Double {
        get { values[factor] ?? 0 }
        set { values[factor] = newValue }
    }

    /// Returns the weights scaled to sum to 1, with negatives clamped to 0; equal weights when
    /// every weight is 0.
    public func normalised() -> FactorWeights {
        FactorWeights(FactorValues(values).normalised().dictionary)
    }
}
