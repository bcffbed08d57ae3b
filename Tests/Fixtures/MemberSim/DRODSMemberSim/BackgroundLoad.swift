import Foundation

/// Parameters of the daily background usage curve. Fractions are shares of a node's
/// allocatable capacity.
///
/// At local hour `h` (UTC plus the cluster's `utcOffsetHours`) the share of a resource is
/// `trough + (peak - trough) * (1 + cos(2π (h - peakHour) / 24)) / 2 + n`, clamped to [0, 1].
/// The cosine term is 1 at `peakHour` and 0 twelve hours later. The noise `n` is uniform in
/// [-noise, +noise] and is drawn from a hash of the seed, cluster, node, resource and the UTC
/// minute, so it changes once a minute and the same seed always gives the same values.
public struct BackgroundLoadProfile: Sendable, Equatable {
    public var trough: Double
    public var peak: Double
    /// Local hour of the maximum, in [0, 24).
    public var peakHour: Double
    /// Largest deviation that noise adds or removes, as a share of capacity.
    public var noise: Double

    public init(trough: Double = 0.15, peak: Double = 0.65, peakHour: Double = 14, noise: Double = 0.05) {
        self.trough = trough
        self.peak = peak
        self.peakHour = peakHour
        self.noise = noise
    }
}

/// Background usage of one node: the work of processes outside the simulated pods.
public struct NodeUsage: Sendable, Equatable {
    /// Cores in use.
    public var cpu: Double
    /// Bytes in use.
    public var memoryBytes: Double
    /// GPUs in use, averaged, so it may be fractional.
    public var gpu: Double

    public init(cpu: Double, memoryBytes: Double, gpu: Double) {
        self.cpu = cpu
        self.memoryBytes = memoryBytes
        self.gpu = gpu
    }
}

/// Evaluates `BackgroundLoadProfile` for nodes.
public struct BackgroundLoad: Sendable {
    public let profile: BackgroundLoadProfile
    public let seed: UInt64

    public init(profile: BackgroundLoadProfile, seed: UInt64) {
        self.profile = profile
        self.seed = seed
    }

    /// Returns the share of capacity in use for `resource` (`cpu`, `memory` or `gpu`) on a node at
    /// `date`, in [0, 1].
    public func share(cluster: String, node: String, resource: String, utcOffsetHours: Double,
                      at date: Date) -> Double {
        let seconds = date.timeIntervalSince1970
        let utcHours = (seconds / 3600).truncatingRemainder(dividingBy: 24)
        var localHour = (utcHours + utcOffsetHours).truncatingRemainder(dividingBy: 24)
        if localHour < 0 { localHour += 24 }
        let phase = 2 * Double.pi * (localHour - profile.peakHour) / 24
        let daily = (1 + cos(phase)) / 2
        let minute = Int64((seconds / 60).rounded(.down))
        let key = "\(cluster)/\(node)/\(resource)/\(minute)"
        let uniform = StableHash.unitInterval(StableHash.hash(key, seed: seed))
        let noise = profile.noise * (2 * uniform - 1)
        let share = profile.trough + (profile.peak - profile.trough) * daily + noise
        return min(1, max(0, share))
    }

    /// Returns the background usage of a node with the given allocatable capacity.
    public func usage(cluster: String, node: String, utcOffsetHours: Double, allocatable: NodeUsage,
                      at date: Date) -> NodeUsage {
        func share(_ resource: String) -> Double {
            self.share(cluster: cluster, node: node, resource: resource, utcOffsetHours: utcOffsetHours, at: date)
        }
        return NodeUsage(cpu: share("cpu") * allocatable.cpu,
                         memoryBytes: (share("memory") * allocatable.memoryBytes).rounded(),
                         gpu: allocatable.gpu > 0 ? share("gpu") * allocatable.gpu : 0)
    }
}
