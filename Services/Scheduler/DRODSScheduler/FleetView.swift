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
    /// The last snapshot, built at `cachedAt`. While only clusters' numbers change it is
    /// updated in place, because rebuilding it and its columns for every decision cost about
    /// ten milliseconds at a thousand clusters. Until `cachedUntil`, the first moment a fresh
    /// report in it ages past the deadline, every cluster's health in it is still right.
    private var cached: FleetSnapshot?
    private var cachedAt = Date.distantFuture
    private var cachedUntil = Date.distantPast
    /// Counts the changes that can move running replicas: a cluster joins or leaves, or its
    /// location, labels, taints, capabilities, health or totals change. Load changes nothing
    /// here, because it moves nothing.
    private var layoutChanges = 0

    init(reportDeadline: TimeInterval = 60) {
        self.reportDeadline = reportDeadline
    }

    func setCluster(_ cluster: Cluster?, name: String) {
        lock.withLock {
            let before = registered[name]
            registered[name] = cluster
            // Heartbeats change only the status, which the snapshot does not read.
            if let before, let cluster, Self.placesAlike(before, cluster) { return }
            layoutChanges += 1
            if cluster == nil { cached?.removeDomains(named: [name]) } else { refresh([name]) }
        }
    }

    /// Returns whether two versions of a cluster give the same snapshot for the same report.
    private static func placesAlike(_ lhs: Cluster, _ rhs: Cluster) -> Bool {
        lhs.name == rhs.name && lhs.provider == rhs.provider && lhs.region == rhs.region && lhs.zone == rhs.zone
            && lhs.labels == rhs.labels && lhs.taints == rhs.taints && lhs.capabilities == rhs.capabilities
            && lhs.pricePerHour == rhs.pricePerHour
    }

    func record(_ report: MetricsReport) {
        lock.withLock {
            if let previous = reports[report.cluster], previous.timestamp > report.timestamp { return }
            reports[report.cluster] = report
            // The report includes what was placed before it was taken.
            reservations[report.cluster]?.removeAll { $0.time <= report.timestamp }
            resum(report.cluster)
            refresh([report.cluster])
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

    /// Sets aside the resources of a decision's new replicas until their clusters report them.
    func reserve(_ placed: [Reservation], for binding: String, at time: Date) {
        guard !placed.isEmpty else { return }
        lock.withLock {
            for reservation in placed {
                reservations[reservation.domain, default: []].append((time, binding, reservation.resources))
                reservedSums[reservation.domain] = reservedSums[reservation.domain, default: ResourceVector()]
                    + reservation.resources
            }
            refresh(placed.map(\.domain))
        }
    }

    /// Drops what `binding` still has reserved: its replicas moved or it was removed.
    func release(binding: String) {
        lock.withLock {
            var changed: [String] = []
            for domain in reservations.keys {
                let before = reservations[domain]?.count ?? 0
                reservations[domain]?.removeAll { $0.binding == binding }
                if reservations[domain]?.count != before {
                    resum(domain)
                    changed.append(domain)
                }
            }
            refresh(changed)
        }
    }

    /// Brings the clusters `names` of the cached snapshot up to date. Call with `lock` held.
    ///
    /// They are computed as at `cachedAt`: a report that is fresh then stays fresh until
    /// `cachedUntil`, which is lowered to its expiry, and a stale one cannot turn fresh.
    private func refresh(_ names: [String]) {
        guard cached != nil, !names.isEmpty else { return }
        var changed: [DomainSnapshot] = []
        for name in Set(names) {
            guard let cluster = registered[name] else { continue }
            let domain = domainSnapshot(of: cluster, at: cachedAt)
            if let old = cached?.domain(named: name), Self.movesReplicas(from: old, to: domain) { layoutChanges += 1 }
            changed.append(domain)
            if let expiry = expiry(of: name, at: cachedAt) { cachedUntil = min(cachedUntil, expiry) }
        }
        cached?.replaceDomains(changed)
    }

    /// Returns when the report of `cluster` goes stale, or nil when it is stale at `time`.
    /// Call with `lock` held.
    private func expiry(of cluster: String, at time: Date) -> Date? {
        guard let report = reports[cluster], time.timeIntervalSince(report.timestamp) < reportDeadline else {
            return nil
        }
        return report.timestamp.addingTimeInterval(reportDeadline)
    }

    /// Recomputes a cluster's reserved sum after reservations left it. Call with `lock` held.
    private func resum(_ domain: String) {
        reservedSums[domain] = (reservations[domain] ?? []).reduce(ResourceVector()) { $0 + $1.resources }
    }

    var isEmpty: Bool { lock.withLock { registered.isEmpty } }

    /// The registered clusters, by name.
    var clusters: [Cluster] { lock.withLock { registered.values.sorted { $0.name < $1.name } } }

    /// Returns the snapshot of every registered cluster at `now`. A cluster without a recent
    /// report with totals is `unknown`, so the health filter keeps work off it.
    func snapshot(now: Date) -> FleetSnapshot {
        lock.withLock { currentSnapshot(now: now) }
    }

    /// Returns the count of changes that can move running replicas, up to `now`. A pass
    /// compares it with the count it last saw.
    func layoutChangeCount(now: Date) -> Int {
        lock.withLock {
            _ = currentSnapshot(now: now)
            return layoutChanges
        }
    }

    /// Returns the cached snapshot while it holds for `now`, or builds it. Call with `lock` held.
    private func currentSnapshot(now: Date) -> FleetSnapshot {
        if let cached, now >= cachedAt, now < cachedUntil { return cached }
        var until = Date.distantFuture
        let domains = registered.values.sorted { $0.name < $1.name }.map { cluster -> DomainSnapshot in
            if let expiry = expiry(of: cluster.name, at: now) { until = min(until, expiry) }
            return domainSnapshot(of: cluster, at: now)
        }
        // Reports that aged past the deadline change health without an event.
        let previous = cached?.domains ?? []
        if previous.count != domains.count
            || zip(previous, domains).contains(where: { $0.name != $1.name || Self.movesReplicas(from: $0, to: $1) }) {
            layoutChanges += 1
        }
        let snapshot = FleetSnapshot(domains: domains)
        cached = snapshot
        cachedAt = now
        cachedUntil = until
        return snapshot
    }

    /// Returns whether a report changed what can move running replicas: health or totals.
    private static func movesReplicas(from old: DomainSnapshot, to new: DomainSnapshot) -> Bool {
        old.health != new.health || old.total.cpuMillis != new.total.cpuMillis
            || old.total.memoryBytes != new.total.memoryBytes || old.total.gpu != new.total.gpu
    }

    /// Returns the snapshot of one cluster at `now`. Call with `lock` held.
    private func domainSnapshot(of cluster: Cluster, at now: Date) -> DomainSnapshot {
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
        // The price is per GB; the scheduler prices memory per GiB and takes one for the other.
        domain.pricePerCPUHour = cluster.pricePerHour?.vcpu ?? 0
        domain.pricePerGiBHour = cluster.pricePerHour?.memoryGB ?? 0
        return domain
    }
}
