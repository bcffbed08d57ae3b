import DRODSCore
import DRODSDomain
import DRODSScheduling
import Foundation

/// The scheduler's view of the fleet: registered clusters from the event log and each one's
/// last metrics report from `drods.metrics.raw`, turned into the snapshot a decision uses.
/// Replicas placed since a cluster's last report count as reserved, so decisions made one
/// after another do not overcommit a cluster that has not reported them yet.
final class FleetView: @unchecked Sendable {
    /// A cluster whose last report is older than this many seconds counts as `unknown`.
    let reportDeadline: TimeInterval

    private let lock = NSLock()
    private var registered: [String: Cluster] = [:]
    private var reports: [String: MetricsReport] = [:]
    private var reservations: [String: [(time: Date, binding: String, resources: ResourceVector)]] = [:]
    /// The sum of each cluster's `reservations`, kept with them, because every decision reads
    /// it and a busy cluster has thousands of reservations between two reports.
    private var reservedSums: [String: ResourceVector] = [:]
    /// Load history per cluster, from the monitor's `ClusterLoadSampled` events.
    private var histories: [String: LoadHistory] = [:]
    /// Report time since which each cluster has stayed above the overload level.
    private var overloadedSince: [String: Date] = [:]
    /// The report a cluster's last rebalancing acted on; it rebalances again only after a
    /// newer report shows what the move changed.
    private var rebalancedAt: [String: Date] = [:]
    /// Water level above which a cluster counts as overloaded; 1 or more never.
    var overloadLevel = 2.0

    init(reportDeadline: TimeInterval = 60) {
        self.reportDeadline = reportDeadline
    }

    func setCluster(_ cluster: Cluster?, name: String) {
        lock.withLock { registered[name] = cluster }
    }

    func record(_ report: MetricsReport) {
        lock.withLock {
            if let previous = reports[report.cluster], previous.timestamp > report.timestamp { return }
            reports[report.cluster] = report
            // The report includes what was placed before it was taken.
            reservations[report.cluster]?.removeAll { $0.time <= report.timestamp }
            resum(report.cluster)
            if let level = Self.waterLevel(of: report) {
                if level > overloadLevel {
                    overloadedSince[report.cluster] = overloadedSince[report.cluster] ?? report.timestamp
                } else {
                    overloadedSince[report.cluster] = nil
                }
            }
        }
    }

    /// Clusters above the overload level for at least `duration` seconds by their own reports,
    /// leaving out those already rebalanced on their latest report.
    func overloaded(for duration: Double) -> [String] {
        lock.withLock {
            overloadedSince.compactMap { cluster, since in
                guard let report = reports[cluster], report.timestamp.timeIntervalSince(since) >= duration,
                      rebalancedAt[cluster] != report.timestamp else { return nil }
                return cluster
            }.sorted()
        }
    }

    /// Notes that work moved off `cluster` on its latest report.
    func markRebalanced(_ cluster: String) {
        lock.withLock { rebalancedAt[cluster] = reports[cluster]?.timestamp }
    }

    /// Adds one interval of a cluster's load history.
    func recordSample(cluster: String, waterLevel: Double, at time: Date) {
        lock.withLock { histories[cluster, default: LoadHistory()].record(waterLevel, at: time) }
    }

    /// Each cluster's downsampled water levels, oldest first.
    var loadHistories: [String: [Double]] {
        lock.withLock { histories.mapValues(\.series) }
    }

    /// Returns the highest of the cpu, memory and gpu shares in use, or nil without totals.
    static func waterLevel(of report: MetricsReport) -> Double? {
        var shares: [Double] = []
        if let total = report.cpuTotalMillis, total > 0 { shares.append(Double(report.cpuUsedMillis ?? 0) / Double(total)) }
        if let total = report.memoryTotalBytes, total > 0 { shares.append(Double(report.memoryUsedBytes ?? 0) / Double(total)) }
        if let total = report.gpuTotal, total > 0 { shares.append(Double(report.gpuUsed ?? 0) / Double(total)) }
        return shares.max().map { min(1, max(0, $0)) }
    }

    func reserve(_ reservation: Reservation, for binding: String, at time: Date) {
        lock.withLock {
            reservations[reservation.domain, default: []].append((time, binding, reservation.resources))
            reservedSums[reservation.domain] = reservedSums[reservation.domain, default: ResourceVector()]
                + reservation.resources
        }
    }

    /// Drops what `binding` still has reserved: its replicas moved or it was removed.
    func release(binding: String) {
        lock.withLock {
            for domain in reservations.keys {
                let before = reservations[domain]?.count ?? 0
                reservations[domain]?.removeAll { $0.binding == binding }
                if reservations[domain]?.count != before { resum(domain) }
            }
        }
    }

    /// Recomputes a cluster's reserved sum after reservations left it. Call with `lock` held.
    private func resum(_ domain: String) {
        reservedSums[domain] = (reservations[domain] ?? []).reduce(ResourceVector()) { $0 + $1.resources }
    }

    var isEmpty: Bool { lock.withLock { registered.isEmpty } }

    /// The registered clusters, by name.
    var clusters: [Cluster] { lock.withLock { registered.values.sorted { $0.name < $1.name } } }

    /// Builds the snapshot of every registered cluster at `now`. A cluster without a recent report
    /// with totals is `unknown`, so the health filter keeps work off it.
    func snapshot(now: Date) -> FleetSnapshot {
        lock.withLock {
            let domains = registered.values.sorted { $0.name < $1.name }.map { cluster -> DomainSnapshot in
                let report = reports[cluster.name]
                let fresh = report.map { now.timeIntervalSince($0.timestamp) < reportDeadline } ?? false
                var total = ResourceVector()
                var used = ResourceVector()
                if let report {
                    total = ResourceVector(cpuMillis: report.cpuTotalMillis ?? 0, memoryBytes: report.memoryTotalBytes ?? 0,
                                           gpu: report.gpuTotal ?? 0,
                                           gpuByModel: report.gpuByModel.mapValues(\.total),
                                           storageBytes: report.storageTotalBytes ?? 0, pods: report.podsTotal ?? 0)
                    used = ResourceVector(cpuMillis: report.cpuUsedMillis ?? 0, memoryBytes: report.memoryUsedBytes ?? 0,
                                          gpu: report.gpuUsed ?? 0,
                                          gpuByModel: report.gpuByModel.mapValues(\.used),
                                          storageBytes: report.storageUsedBytes ?? 0, pods: report.podsUsed ?? 0)
                }
                let hasTotals = total.cpuMillis > 0 && total.memoryBytes > 0
                let largest = report?.largestFreeNode
                    ?? NodeResources(cpuMillis: max(0, total.cpuMillis - used.cpuMillis),
                                     memoryBytes: max(0, total.memoryBytes - used.memoryBytes),
                                     gpu: max(0, total.gpu - used.gpu))
                let reserved = reservedSums[cluster.name] ?? ResourceVector()
                var domain = DomainSnapshot(
                    name: cluster.name, provider: cluster.provider, region: cluster.region, zone: cluster.zone,
                    labels: cluster.labels, taints: cluster.taints, capabilities: Set(cluster.capabilities),
                    health: fresh && hasTotals ? .ready : .unknown, total: total, used: used, reserved: reserved,
                    largestFreeNode: largest)
                // Rooms from before the reservations: a replica placed since the report may
                // have taken one, so they only narrow the node-fit check, never widen it.
                domain.freeNodes = reserved == ResourceVector() ? report?.freeNodes ?? [] : []
                return domain
            }
            return FleetSnapshot(domains: domains)
        }
    }
}
