/// A simulated fleet as read from a fleet file: the member clusters and the network latency
/// between their regions.
public struct Fleet: Sendable, Equatable {
    public var clusters: [ClusterSpec]
    /// Round-trip latency in milliseconds between two regions, keyed by the source and then the
    /// destination region. `latencyMs(from:to:)` reads it in either direction.
    public var latencyMs: [String: [String: Double]]
    /// Shape of the background usage that every node reports.
    public var backgroundLoad: BackgroundLoadProfile

    public init(clusters: [ClusterSpec], latencyMs: [String: [String: Double]] = [:],
                backgroundLoad: BackgroundLoadProfile = BackgroundLoadProfile()) {
        self.clusters = clusters
        self.latencyMs = latencyMs
        self.backgroundLoad = backgroundLoad
    }

    /// Returns the latency between two regions in milliseconds: 0 within a region, the matrix
    /// entry in either direction otherwise, or nil when the matrix has no entry for the pair.
    public func latencyMs(from source: String, to destination: String) -> Double? {
        if source == destination { return 0 }
        return latencyMs[source]?[destination] ?? latencyMs[destination]?[source]
    }

    public func cluster(named name: String) -> ClusterSpec? {
        clusters.first { $0.name == name }
    }
}

/// One member cluster of the fleet.
public struct ClusterSpec: Sendable, Equatable {
    /// DNS-1123 label, unique in the fleet; also the kubeconfig context name.
    public var name: String
    /// Cloud provider label such as `aws`.
    public var provider: String
    public var region: String
    public var zone: String
    public var nodePools: [NodePoolSpec]
    public var pricePerHour: PricePerHour
    /// Hours to add to UTC to get the cluster's local time, which drives the daily load curve.
    public var utcOffsetHours: Double

    public init(name: String, provider: String, region: String, zone: String,
                nodePools: [NodePoolSpec], pricePerHour: PricePerHour, utcOffsetHours: Double = 0) {
        self.name = name
        self.provider = provider
        self.region = region
        self.zone = zone
        self.nodePools = nodePools
        self.pricePerHour = pricePerHour
        self.utcOffsetHours = utcOffsetHours
    }
}

/// A group of identical nodes.
public struct NodePoolSpec: Sendable, Equatable {
    public var instanceType: String
    /// Number of nodes in the pool, at least 1.
    public var count: Int
    /// Cores per node.
    public var cpu: Double
    /// Memory per node in bytes.
    public var memoryBytes: Double
    /// GPU model label such as `nvidia-a10g`, or nil for nodes without GPUs.
    public var gpuModel: String?
    /// GPUs per node; 0 when `gpuModel` is nil.
    public var gpuCount: Int

    public init(instanceType: String, count: Int, cpu: Double, memoryBytes: Double,
                gpuModel: String? = nil, gpuCount: Int = 0) {
        self.instanceType = instanceType
        self.count = count
        self.cpu = cpu
        self.memoryBytes = memoryBytes
        self.gpuModel = gpuModel
        self.gpuCount = gpuCount
    }
}

/// On-demand prices of a cluster, in US dollars.
public struct PricePerHour: Sendable, Equatable {
    /// Price of one vCPU for one hour.
    public var vcpu: Double
    /// Price of one GB of memory for one hour.
    public var memoryGB: Double

    public init(vcpu: Double, memoryGB: Double) {
        self.vcpu = vcpu
        self.memoryGB = memoryGB
    }
}
