import Foundation

/// Decides, from the time of each cluster's last load report, which clusters changed between
/// `ready` (reported within `timeout` seconds) and `unknown` (silent for longer), and which
/// reported for the first time. Pure: no I/O.
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
        /// The health before this change, or nil when the cluster had none recorded, such as
        /// at its first report.
        public var previous: Health?

        public init(cluster: String, health: Health, silentSeconds: Double?, previous: Health?) {
            self.cluster = cluster
            self.health = health
            self.silentSeconds = silentSeconds
            self.previous = previous
        }

        /// Whether this change ends an outage: the cluster was `unknown` and reports again. A
        /// first report is no recovery, because nothing failed before it.
        public var isRecovery: Bool { health == .ready && previous == .unknown }
    }

    /// Seconds without a report after which a cluster is `unknown`.
    public let timeout: Double

    public init(timeout: Double) {
        self.timeout = timeout
    }

    /// Returns the changes from `known` for the registered `clusters`, in name order. A cluster
    /// that never reported gets no change: it stays as registered. A reporting cluster not in
    /// `known` always gets one, `ready` with `previous` nil for a first report, so that its
    /// health is on record.
    public func changes(clusters: [String], lastReports: [String: Date], known: [String: Health],
                        now: Date) -> [Change] {
        clusters.sorted().compactMap { cluster in
            let silent = lastReports[cluster].map { now.timeIntervalSince($0) }
            guard let silent else { return nil }
            let health: Health = silent <= timeout ? .ready : .unknown
            let previous = known[cluster]
            return health == previous
                ? nil : Change(cluster: cluster, health: health, silentSeconds: silent, previous: previous)
        }
    }
}
