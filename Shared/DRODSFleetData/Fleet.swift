import DRODSDomain
import DRODSScheduling

/// Member clusters built from real data, with the measured latency between their regions.
public struct Fleet: Equatable, Sendable {
    public var domains: [FleetDomain]
    /// Median round-trip latency in milliseconds, `regionLatencyMs[from][to]`.
    public var regionLatencyMs: [String: [String: Double]]

    public init(domains: [FleetDomain], regionLatencyMs: [String: [String: Double]]) {
        self.domains = domains
        self.regionLatencyMs = regionLatencyMs
    }

    /// Returns the fleet with nothing running, as the scheduler reads it. The largest free node
    /// holds, per dimension, the most any node has, as `ReplayDomain` reports it.
    public func emptySnapshot() -> FleetSnapshot {
        let snapshots = domains.map { domain in
            domain.snapshot(used: ResourceVector(), largestFreeNode: NodeResources(
                cpuMillis: domain.nodes.map(\.cpuMillis).max() ?? 0,
                memoryBytes: (domain.nodes.map(\.memoryMiB).max() ?? 0) << 20,
                gpu: Int64(domain.nodes.map(\.gpus).max() ?? 0) * 1000))
        }
        return FleetSnapshot(domains: snapshots, regionLatencyMs: regionLatencyMs)
    }
}
