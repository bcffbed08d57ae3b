import Foundation

/// Downsamples the clusters' water levels to one mean per `periodSeconds` interval of wall-clock
/// time, the load history the scheduler's forecast reads. Feed it the levels as they are seen;
/// when an interval ends, the next `add` returns its means. Pure: no I/O.
public struct LoadSampler: Sendable {
    public struct Sample: Equatable, Sendable {
        public var cluster: String
        /// Start of the interval.
        public var periodStart: Date
        /// Mean water level over the interval, 0 to 1.
        public var waterLevel: Double
    }

    public let periodSeconds: Double
    private var period: Int64?
    private var sums: [String: (total: Double, count: Int)] = [:]

    public init(periodSeconds: Double = 300) {
        self.periodSeconds = periodSeconds
    }

    /// Adds the levels seen at `time`; returns the means of the interval that `time` closed, if any.
    public mutating func add(_ levels: [String: Double], at time: Date) -> [Sample] {
        let index = Int64((time.timeIntervalSince1970 / periodSeconds).rounded(.down))
        var closed: [Sample] = []
        if let current = period, index != current {
            let start = Date(timeIntervalSince1970: Double(current) * periodSeconds)
            closed = sums.keys.sorted().map { cluster in
                Sample(cluster: cluster, periodStart: start, waterLevel: sums[cluster]!.total / Double(sums[cluster]!.count))
            }
            sums = [:]
        }
        period = index
        for (cluster, level) in levels {
            sums[cluster, default: (0, 0)].total += level
            sums[cluster, default: (0, 0)].count += 1
        }
        return closed
    }
}
