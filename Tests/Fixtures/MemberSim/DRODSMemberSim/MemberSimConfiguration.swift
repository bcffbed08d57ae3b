/// Settings of a `MemberSimulator`. The server always listens on 127.0.0.1.
public struct MemberSimConfiguration: Sendable {
    public var fleet: Fleet
    /// TCP port of the plain HTTP listener; 0 lets the kernel pick one, which
    /// `MemberSimulator.port` reports.
    public var port: Int
    /// Whether to serve HTTPS too, with a self-signed certificate. kubectl sends bearer tokens
    /// only over TLS, so the kubeconfig points at the HTTPS listener when this is on.
    public var servesTLS: Bool
    /// TCP port of the HTTPS listener; 0 lets the kernel pick one.
    public var tlsPort: Int
    /// Seed of the background load noise.
    public var seed: UInt64
    public var behavior: ClusterBehavior
    /// Seconds a request to a partitioned cluster is held before it gets 504.
    public var partitionHoldSeconds: Double
    /// Worker threads of the HTTP server. Requests held by `slow` or `partitioned` faults each
    /// occupy one, so this bounds how many can wait at once without blocking other clusters.
    public var threadPoolSize: Int
    /// Token for the `/simulator` control API; nil generates a random one.
    public var adminToken: String?
    /// Where to write the kubeconfig at start, or nil to write none.
    public var kubeconfigPath: String?
    /// Seconds between passes that make pods ready and finish job pods, so readiness may lag
    /// the configured delay by up to this much.
    public var tickSeconds: Double

    public init(fleet: Fleet, port: Int = 0, servesTLS: Bool = true, tlsPort: Int = 0, seed: UInt64 = 1, behavior: ClusterBehavior = ClusterBehavior(),
                partitionHoldSeconds: Double = 30, threadPoolSize: Int = 16, adminToken: String? = nil,
                kubeconfigPath: String? = nil, tickSeconds: Double = 0.1) {
        self.fleet = fleet
        self.port = port
        self.servesTLS = servesTLS
        self.tlsPort = tlsPort
        self.seed = seed
        self.behavior = behavior
        self.partitionHoldSeconds = partitionHoldSeconds
        self.threadPoolSize = threadPoolSize
        self.adminToken = adminToken
        self.kubeconfigPath = kubeconfigPath
        self.tickSeconds = tickSeconds
    }
}
