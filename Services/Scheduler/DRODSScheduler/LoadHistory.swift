import Foundation

/// One cluster's water level over time, downsampled to the mean of each `bucketSeconds`
/// interval, for the forecast. Keeps the last `capacity` buckets; an interval without reports
/// repeats the previous bucket's mean, so that the seasonal cycle keeps its length.
struct LoadHistory {
    /// Seconds per sample: 300 gives 288 samples per day.
    static let bucketSeconds = 300.0
    static let samplesPerDay = Int(86_400 / bucketSeconds)
    /// Three days: the forecast needs two full cycles for a seasonal estimate.
    static let capacity = 3 * samplesPerDay

    private(set) var samples: [Double] = []
    private var bucket: Int64?
    private var sum = 0.0
    private var count = 0

    /// Adds a report's water level (0 to 1) taken at `time`. Reports older than the current
    /// bucket are ignored.
    mutating func record(_ level: Double, at time: Date) {
        let index = Int64((time.timeIntervalSince1970 / Self.bucketSeconds).rounded(.down))
        if let current = bucket {
            guard index >= current else { return }
            if index > current {
                close()
                // Gaps repeat the last mean; a gap longer than the whole window restarts it.
                let gap = Int(min(index - current - 1, Int64(Self.capacity)))
                if let last = samples.last { samples.append(contentsOf: repeatElement(last, count: gap)) }
                bucket = index
            }
        } else {
            bucket = index
        }
        sum += level
        count += 1
        trim()
    }

    /// The closed samples plus the mean of the open bucket, oldest first.
    var series: [Double] {
        count > 0 ? samples + [sum / Double(count)] : samples
    }

    private mutating func close() {
        if count > 0 { samples.append(sum / Double(count)) }
        sum = 0
        count = 0
    }

    private mutating func trim() {
        if samples.count > Self.capacity { samples.removeFirst(samples.count - Self.capacity) }
    }
}
