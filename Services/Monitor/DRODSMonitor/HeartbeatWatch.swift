import DRODSCore
import DRODSEventStore
import Foundation

/// Watches the clusters' load reports on the active monitor. A registered cluster's first
/// report gets a `ClusterHealthChanged` event (`ready`) on its health stream and nothing in the
/// failure history. A cluster that stops reporting for `policy.timeout` seconds gets
/// `ClusterHealthChanged` (`unknown`) and a `ClusterFailureReported` of type
/// `ClusterUnreachable` on its failure stream, which the failure history shows. When reports
/// resume, it gets `ClusterHealthChanged` (`ready`) and `ClusterFailureResolved` of type
/// `ClusterReachable`. The cluster read model takes its status from the health events. The
/// watch also keeps the load history: every five minutes, a `ClusterLoadSampled` event per
/// reporting cluster on its `forecast-<cluster>` stream with the mean water level of the
/// interval.
public final class HeartbeatWatch: @unchecked Sendable {
    private let pool: ConnectionPool
    private let store: EventStore
    private let policy: HeartbeatPolicy
    private let interval: Double
    private let logger: Logger

    public init(pool: ConnectionPool, store: EventStore, policy: HeartbeatPolicy, interval: Double, logger: Logger) {
        self.pool = pool
        self.store = store
        self.policy = policy
        self.interval = interval
        self.logger = logger.with([.component: "heartbeats"])
    }

    /// Checks every `interval` seconds until `stop`; called while this instance leads.
    public func run(stop: StopSignal) {
        var known: [String: HeartbeatPolicy.Health] = [:]
        var sampler = LoadSampler()
        do {
            known = try lastKnownHealth()
        } catch {
            // Without it, each cluster's health is recorded again. A cluster that reports gets
            // no failure entry for that, because a change from no recorded health is no recovery.
            logger.warning("last cluster health not read; recording it again from the reports",
                           [.error: String(describing: error)])
        }
        repeat {
            do {
                let (clusters, reports, levels) = try readState()
                let now = Date()
                for change in policy.changes(clusters: clusters, lastReports: reports, known: known, now: now) {
                    try record(change)
                    known[change.cluster] = change.health
                }
                // Only clusters that report count toward their load history.
                let reporting = levels.filter { cluster, _ in
                    reports[cluster].map { now.timeIntervalSince($0) <= policy.timeout } ?? false
                }
                for sample in sampler.add(reporting, at: now) { try record(sample) }
            } catch {
                logger.warning("heartbeat check failed", [.error: String(describing: error)])
            }
        } while !stop.wait(seconds: interval)
    }

    private func readState() throws -> (clusters: [String], reports: [String: Date], levels: [String: Double]) {
        try pool.withConnection { connection in
            let clusters = try connection.query("SELECT key FROM resources WHERE kind = 'Cluster'").rows.compactMap { $0[0] }
            var reports: [String: Date] = [:]
            var levels: [String: Double] = [:]
            let rows = try connection.query(
                "SELECT cluster, extract(epoch FROM received_at)::double precision, water_level FROM monitor_live").rows
            for row in rows {
                guard let cluster = row[0], let seconds = row[1].flatMap(Double.init) else { continue }
                reports[cluster] = Date(timeIntervalSince1970: seconds)
                levels[cluster] = row[2].flatMap(Double.init)
            }
            return (clusters, reports, levels)
        }
    }

    private func record(_ sample: LoadSampler.Sample) throws {
        try store.append(to: "forecast-\(sample.cluster)", expected: .any, events: [NewEvent(
            type: "ClusterLoadSampled",
            data: .object(["cluster": .string(sample.cluster),
                           "periodStart": .string(ISO8601DateFormatter().string(from: sample.periodStart)),
                           "periodSeconds": .number(300), "waterLevel": .number(sample.waterLevel)]),
            metadata: EventMetadata(actor: "drods-monitor", correlationID: "load-\(sample.cluster)"))])
    }

    /// Reads each cluster's health from its last `ClusterHealthChanged` event, so that a new
    /// leader neither repeats nor misses a change.
    private func lastKnownHealth() throws -> [String: HeartbeatPolicy.Health] {
        try pool.withConnection { connection in
            let rows = try connection.query("""
                SELECT DISTINCT ON (stream_id) data->>'cluster', data->>'health' FROM event_log
                WHERE type = 'ClusterHealthChanged' ORDER BY stream_id, stream_version DESC
                """).rows
            var health: [String: HeartbeatPolicy.Health] = [:]
            for row in rows {
                if let cluster = row[0], let value = row[1].flatMap(HeartbeatPolicy.Health.init) { health[cluster] = value }
            }
            return health
        }
    }

    private func record(_ change: HeartbeatPolicy.Change) throws {
        let now = ISO8601DateFormatter().string(from: Date())
        let silent = change.silentSeconds.map { String(Int($0)) } ?? "?"
        let metadata = EventMetadata(actor: "drods-monitor", correlationID: "heartbeat-\(change.cluster)")
        try store.append(to: "health-\(change.cluster)", expected: .any, events: [NewEvent(
            type: "ClusterHealthChanged",
            data: .object(["cluster": .string(change.cluster), "health": .string(change.health.rawValue),
                           "silentSeconds": .number(change.silentSeconds ?? 0), "timestamp": .string(now)]),
            metadata: metadata)])
        let unreachable = change.health == .unknown
        guard unreachable || change.isRecovery else {
            logger.info("cluster reports for the first time", ["cluster": change.cluster])
            return
        }
        let message = unreachable
            ? "no load report for \(silent) s (timeout \(Int(policy.timeout)) s)"
            : "load reports arrive again"
        try store.append(to: "failure-\(change.cluster)", expected: .any, events: [NewEvent(
            type: unreachable ? "ClusterFailureReported" : "ClusterFailureResolved",
            data: .object(["cluster": .string(change.cluster),
                           "type": .string(unreachable ? "ClusterUnreachable" : "ClusterReachable"),
                           "severity": .string(unreachable ? "critical" : "info"),
                           "message": .string(message), "timestamp": .string(now)]),
            metadata: metadata)])
        logger.info(unreachable ? "cluster stopped reporting" : "cluster reports again", [
            "cluster": change.cluster, "silent.s": silent,
        ])
    }
}
