import Foundation

/// Decides, from the time of each cluster's last load report, which clusters changed between
/// `ready` (reported within `timeout` seconds) and `unknown` (silent for longer). Pure: no I/O.
public struct HeartbeatPolicy: Sendable {
    public enum Health: String, Sendable {
        case ready
        case unknown
    }

    public struct Change: Equatable, Sendable {
        public var cluster: String
        public var health: Health
        /// Seconds since the last report, or nil when the cluster never reported.
        public var silentSeconds: Double?

        public init(cluster: String, health: Health, silentSeconds: Double?) {
            self.cluster = cluster
            self.health = health
            self.silentSeconds = silentSeconds
        }
    }

    /// Seconds without a report after which a cluster is `unknown`.
    public let timeout: Double

    public init(timeout: Double) {
        self.timeout = timeout
    }

    /// Returns the changes from `known` for the registered `clusters`, in name order. A cluster
    /// not in `known` counts as `ready` once it has reported and is never reported as a change
    /// until it has: a cluster that never reported has nothing to lose.
    public func changes(clusters: [String], lastReports: [String: Date], known: [String: Health],
                        now: Date) -> [Change] {
        clusters.sorted().compactMap { cluster in
            let silent = lastReports[cluster].map { now.timeIntervalSince($0) }
            guard let silent else { return nil }
            let health: Health = silent <= timeout ? .ready : .unknown
            let previous = known[cluster] ?? .ready
            return health == previous ? nil : Change(cluster: cluster, health: health, silentSeconds: silent)
        }
    }
}
