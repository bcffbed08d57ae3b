/// A value that changes at events and holds between them, summarised over time: each value
/// counts for as long as it held.
struct TimeWeightedSeries: Sendable {
    private var samples: [(value: Double, seconds: Double)] = []

    /// Records that `value` held for `seconds`; spans of zero length are dropped.
    mutating func add(_ value: Double, for seconds: Double) {
        guard seconds > 0 else { return }
        samples.append((value, seconds))
    }

    /// Time-weighted mean; 0 for an empty series.
    var mean: Double {
        let seconds = samples.reduce(0) { $0 + $1.seconds }
        guard seconds > 0 else { return 0 }
        return samples.reduce(0) { $0 + $1.value * $1.seconds } / seconds
    }

    /// The smallest value that held at or below for at least `fraction` of the time.
    func percentile(_ fraction: Double) -> Double {
        let sorted = samples.sorted { $0.value < $1.value }
        let target = fraction * sorted.reduce(0) { $0 + $1.seconds }
        var cumulative = 0.0
        for sample in sorted {
            cumulative += sample.seconds
            if cumulative >= target { return sample.value }
        }
        return sorted.last?.value ?? 0
    }
}
