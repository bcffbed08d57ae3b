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

    public static func == (lhs: FleetSnapshot, rhs: FleetSnapshot) -> Bool {
        lhs.domains == rhs.domains && lhs.regionLatencyMs == rhs.regionLatencyMs
            && lhs.trafficSurge == rhs.trafficSurge
    }

    /// Returns the domain named `name`, or nil.
    public func domain(named name: String) -> DomainSnapshot? {
        domains.first { $0.name == name }
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
