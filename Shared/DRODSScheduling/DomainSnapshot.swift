import DRODSDomain

/// One member cluster (a domain) as the scheduler reads it at the start of a decision.
///
/// `used` counts everything running, including replicas of the task being rescheduled.
/// `reserved` counts assignments already decided but not yet visible in `used`. The scheduler
/// treats them as used, so that tasks decided one after another do not overcommit a domain.
public struct DomainSnapshot: Equatable, Sendable {
    public var name: String
    public var provider: String?
    public var region: String?
    public var zone: String?
    public var labels: [String: String]
    public var taints: [ClusterTaint]
    /// Features the domain offers, such as `gpu`.
    public var capabilities: Set<String>
    public var health: DomainHealth
    public var total: ResourceVector
    public var used: ResourceVector
    public var reserved: ResourceVector
    /// Free resources of the node with the most room. A replica that does not fit this node does
    /// not fit the domain, even when the domain's totals have room.
    public var largestFreeNode: NodeResources
    /// Free resources of the nodes whose room no other node covers in every dimension, when
    /// the report includes them. A replica then fits the domain exactly when it fits one of
    /// these; empty means only `largestFreeNode` is known.
    public var freeNodes: [NodeResources] = []
    /// Price of one CPU core for one hour, in the fleet's currency.
    public var pricePerCPUHour: Double
    /// Price of one GiB of memory for one hour, in the fleet's currency.
    public var pricePerGiBHour: Double
    /// Measured round-trip latency in milliseconds from this domain to a region; it takes
    /// precedence over the fleet's region matrix.
    public var latencyMs: [String: Double]
    /// Water level the forecaster predicts for the next period, from 0 to 1; nil when none.
    public var forecastWaterLevel: Double?

    public init(name: String, provider: String? = nil, region: String? = nil, zone: String? = nil,
                labels: [String: String] = [:], taints: [ClusterTaint] = [],
                capabilities: Set<String> = [], health: DomainHealth = .ready,
                total: ResourceVector, used: ResourceVector = .zero, reserved: ResourceVector = .zero,
                largestFreeNode: NodeResources, pricePerCPUHour: Double = 0,
                pricePerGiBHour: Double = 0, latencyMs: [String: Double] = [:],
                forecastWaterLevel: Double? = nil) {
        self.name = name
        self.provider = provider
        self.region = region
        self.zone = zone
        self.labels = labels
        self.taints = taints
        self.capabilities = capabilities
        self.health = health
        self.total = total
        self.used = used
        self.reserved = reserved
        self.largestFreeNode = largestFreeNode
        self.pricePerCPUHour = pricePerCPUHour
        self.pricePerGiBHour = pricePerGiBHour
        self.latencyMs = latencyMs
        self.forecastWaterLevel = forecastWaterLevel
    }

    /// Tells whether one replica needing `needs` fits on a single node: on one of `freeNodes`
    /// when they are known, else on `largestFreeNode`.
    @inline(__always)
    public func nodeFits(_ needs: ResourceRequirements) -> Bool {
        freeNodes.isEmpty ? largestFreeNode.fits(needs) : freeNodes.contains { $0.fits(needs) }
    }
}
