/// Every domain the scheduler may place on, with the latency between regions and the live
/// signals that adapt the factor weights.
public struct FleetSnapshot: Equatable, Sendable {
    public var domains: [DomainSnapshot] {
        didSet { columnsCache = FleetColumnsCache() }
    }
    /// Round-trip latency in milliseconds, `regionLatencyMs[from][to]`. A missing entry is read
    /// in the other direction before it counts as unknown.
    public var regionLatencyMs: [String: [String: Double]] {
        didSet { columnsCache = FleetColumnsCache() }
    }
    /// Whether the monitor reports a sudden rise in traffic; it moves weight to the network
    /// factor.
    public var trafficSurge: Bool
    private var columnsCache = FleetColumnsCache()

    public init(domains: [DomainSnapshot], regionLatencyMs: [String: [String: Double]] = [:],
                trafficSurge: Bool = false) {
        self.domains = domains
        self.regionLatencyMs = regionLatencyMs
        self.trafficSurge = trafficSurge
    }

    /// The domains' numbers in flat arrays, built on first use and shared by copies.
    var columns: FleetColumns {
        columnsCache.columns(for: domains, regionLatencyMs: regionLatencyMs)
    }

    /// Whether the columns are built, so that the next decision does not build them.
    var hasBuiltColumns: Bool {
        columnsCache.builtColumns != nil
    }

    public static func == (lhs: FleetSnapshot, rhs: FleetSnapshot) -> Bool {
        lhs.domains == rhs.domains && lhs.regionLatencyMs == rhs.regionLatencyMs
            && lhs.trafficSurge == rhs.trafficSurge
    }

    /// Returns the domain named `name`, or nil. With the columns built it is a lookup by name.
    public func domain(named name: String) -> DomainSnapshot? {
        if let position = columnsCache.builtColumns?.positions[name], position < domains.count,
           domains[position].name == name {
            return domains[position]
        }
        return domains.first { $0.name == name }
    }

    /// Returns the latency in milliseconds from `domain` to `region`. It is 0 inside the domain's
    /// own region. Otherwise the domain's own measurement wins over the region matrix, and an
    /// unknown latency is nil.
    public func latencyMs(from domain: DomainSnapshot, to region: String) -> Double? {
        if domain.region == region { return 0 }
        if let measured = domain.latencyMs[region] { return measured }
        guard let from = domain.region else { return nil }
        return regionLatencyMs[from]?[region] ?? regionLatencyMs[region]?[from]
    }

    /// Replaces the domains named in `changed` with those values. Names not in the fleet are
    /// added, at their place in name order when the domains are in name order. When the
    /// columns of the fleet are built and only numbers change (totals, use, reservations,
    /// health, nodes, prices), they are updated in one pass instead of being rebuilt for the
    /// next decision.
    public mutating func replaceDomains(_ changed: [DomainSnapshot]) {
        guard !changed.isEmpty else { return }
        let built = columnsCache.builtColumns

        // Column positions are name order, and the fleet's own order usually is too.
        var positions: [Int] = []
        positions.reserveCapacity(changed.count)
        var added: [DomainSnapshot] = []
        for domain in changed {
            if let position = built?.positions[domain.name], position < domains.count,
               domains[position].name == domain.name {
                positions.append(position)
            } else if let position = domains.firstIndex(where: { $0.name == domain.name }) {
                positions.append(position)
            } else {
                positions.append(-1)
                added.append(domain)
            }
        }
        let updated = added.isEmpty ? built?.updating(changed) : nil

        // One mutation of `domains`, so its observer resets the cache once.
        domains.withUnsafeMutableBufferPointer { buffer in
            for (position, domain) in zip(positions, changed) where position >= 0 {
                buffer[position] = domain
            }
        }
        for domain in added { insertInNameOrder(domain) }

        if let updated { columnsCache = FleetColumnsCache(built: updated) }
    }

    /// Inserts `domain` before the first domain whose name does not sort before its own,
    /// which is its place in name order when the domains are in name order.
    private mutating func insertInNameOrder(_ domain: DomainSnapshot) {
        var low = 0
        var high = domains.count
        while low < high {
            let middle = (low + high) / 2
            if domains[middle].name < domain.name {
                low = middle + 1
            } else {
                high = middle
            }
        }
        domains.insert(domain, at: low)
    }

    /// Removes the domains named in `names`.
    public mutating func removeDomains(named names: Set<String>) {
        guard domains.contains(where: { names.contains($0.name) }) else { return }
        domains.removeAll { names.contains($0.name) }
    }

    /// Returns the fleet with `reservations` added to their domains' `reserved` resources, so
    /// the next decision counts them as used.
    public func reserving(_ reservations: [Reservation]) -> FleetSnapshot {
        var domains = self.domains
        for reservation in reservations {
            guard let index = domains.firstIndex(where: { $0.name == reservation.domain }) else {
                continue
            }
            domains[index].reserved = domains[index].reserved + reservation.resources
        }
        var copy = self
        copy.domains = domains
        return copy
    }
}
