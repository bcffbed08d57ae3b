import DRODSCore
import DRODSHTTP
import Foundation

/// A fleet of simulated Kubernetes member clusters served by one HTTP server on 127.0.0.1, and
/// by default the same routes over HTTPS on a second port.
///
/// Cluster `<name>` serves its API under `http://127.0.0.1:<port>/clusters/<name>` (and the HTTPS
/// equivalent on `tlsPort`) and accepts only its own bearer token. The control API under `/simulator` accepts only the admin token. The
/// simulator runs from `init` until `stop()`.
public final class MemberSimulator: Sendable {
    /// The Kubernetes version that `/version` and the nodes report.
    public static let kubernetesVersion = "v1.30.0-membersim"

    /// Port of the plain HTTP listener.
    public let port: Int
    /// Port of the HTTPS listener, or nil when TLS is off.
    public let tlsPort: Int?
    /// The self-signed certificate of the HTTPS listener in PEM form, which clients must trust;
    /// nil when TLS is off.
    public let certificateAuthorityPEM: String?
    /// Bearer token of the `/simulator` control API.
    public let adminToken: String
    /// The kubeconfig written at start, or nil when the configuration asked for none.
    public let kubeconfigPath: String?
    public let fleet: Fleet

    private let clusters: [String: SimulatedCluster]
    private let server: HTTPServer
    private let tlsServer: HTTPServer?
    private let stopSignal = StopSignal()
    private let tickerDone = DispatchSemaphore(value: 0)
    private let logger: Logger

    /// Builds the clusters, starts the server and the pod ticker, and writes the kubeconfig when
    /// `configuration.kubeconfigPath` is set. Throws `HTTPServerError` when the port cannot be
    /// bound and file errors when the kubeconfig cannot be written.
    public init(configuration: MemberSimConfiguration, logger: Logger) throws {
        let now = Date()
        var clusters: [String: SimulatedCluster] = [:]
        for (index, spec) in configuration.fleet.clusters.enumerated() {
            clusters[spec.name] = SimulatedCluster(spec: spec, index: index, behavior: configuration.behavior,
                                                   token: Self.randomToken(), now: now)
        }
        let adminToken = configuration.adminToken ?? Self.randomToken()
        let background = BackgroundLoad(profile: configuration.fleet.backgroundLoad, seed: configuration.seed)
        let clusterAPI = ClusterAPI(clusters: clusters, background: background)
        let controlAPI = ControlAPI(clusters: clusters, logger: logger)
        let holdSeconds = configuration.partitionHoldSeconds
        let frozenClusters = clusters

        let handler: HTTPServer.Handler = { request in
            try Self.route(request, clusters: frozenClusters, clusterAPI: clusterAPI, controlAPI: controlAPI,
                           adminToken: adminToken, partitionHoldSeconds: holdSeconds)
        }
        var serverConfiguration = HTTPServerConfiguration(
            host: "127.0.0.1", port: configuration.port, threadPoolSize: configuration.threadPoolSize,
            connectionTimeoutSeconds: max(60, Int(holdSeconds.rounded(.up)) + 30), shutdownGraceSeconds: 1)
        server = try HTTPServer(configuration: serverConfiguration, logger: logger, handler: handler)
        if configuration.servesTLS {
            do {
                let certificate = try SelfSignedCertificate.generate()
                serverConfiguration.port = configuration.tlsPort
                serverConfiguration.tlsCertificatePEM = certificate.certificatePEM
                serverConfiguration.tlsPrivateKeyPEM = certificate.privateKeyPEM
                tlsServer = try HTTPServer(configuration: serverConfiguration, logger: logger, handler: handler)
                certificateAuthorityPEM = certificate.certificatePEM
            } catch {
                server.stop()
                throw error
            }
        } else {
            tlsServer = nil
            certificateAuthorityPEM = nil
        }
        tlsPort = tlsServer?.port
        self.clusters = clusters
        self.adminToken = adminToken
        self.fleet = configuration.fleet
        self.port = server.port
        self.logger = logger
        self.kubeconfigPath = configuration.kubeconfigPath

        startTicker(every: configuration.tickSeconds)
        if let path = configuration.kubeconfigPath {
            do {
                try MemberSimFiles.writePrivate(kubeconfig(), to: path)
            } catch {
                stop()
                throw error
            }
        }
        logger.info("member simulator started", [
            .port: String(port), "tls.port": tlsPort.map(String.init) ?? "", .count: String(clusters.count),
            "kubeconfig": configuration.kubeconfigPath ?? "",
        ])
    }

    /// Names of the simulated clusters in fleet order.
    public var clusterNames: [String] { fleet.clusters.map(\.name) }

    /// Bearer tokens by cluster name.
    public var clusterTokens: [String: String] { clusters.mapValues(\.token) }

    public func token(forCluster name: String) -> String? { clusters[name]?.token }

    /// Returns the plain HTTP base URL of a cluster's API, for clients that send tokens over HTTP.
    public func serverURL(forCluster name: String) -> String {
        "http://127.0.0.1:\(port)/clusters/\(name)"
    }

    /// Returns the HTTPS base URL of a cluster's API, which the kubeconfig uses; nil when TLS is off.
    public func tlsServerURL(forCluster name: String) -> String? {
        tlsPort.map { "https://127.0.0.1:\($0)/clusters/\(name)" }
    }

    /// The base URL of the control API, `http://127.0.0.1:<port>/simulator`.
    public var controlURL: String { "http://127.0.0.1:\(port)/simulator" }

    /// Returns a kubeconfig for every cluster; the current context is the first cluster. It
    /// points at the HTTPS listener and trusts its certificate when TLS is on, else at plain
    /// HTTP, where kubectl leaves the token out.
    public func kubeconfig() -> String {
        Kubeconfig.yaml(clusters: clusters.map { (name: $0.key, token: $0.value.token) },
                        serverURL: { self.tlsServerURL(forCluster: $0) ?? self.serverURL(forCluster: $0) },
                        certificateAuthorityPEM: certificateAuthorityPEM,
                        currentContext: fleet.clusters.first?.name)
    }

    /// Writes `kubeconfig()` to `path` with mode 0600.
    public func writeKubeconfig(to path: String) throws {
        try MemberSimFiles.writePrivate(kubeconfig(), to: path)
    }

    public func fault(ofCluster name: String) -> Fault? { clusters[name]?.fault }

    /// Switches a cluster's fault, as `PUT /simulator/clusters/<name>/fault` does. Returns false
    /// when no cluster has that name.
    @discardableResult
    public func setFault(_ fault: Fault, cluster name: String) -> Bool {
        guard let cluster = clusters[name] else { return false }
        cluster.setFault(fault)
        logger.info("fault switched", ["cluster": name, "fault.mode": fault.mode])
        return true
    }

    /// Releases held requests, stops the ticker and the server. Calling it again does nothing
    /// more. Blocks for up to the server's one-second shutdown grace.
    public func stop() {
        guard !stopSignal.isStopped else { return }
        stopSignal.stop()
        for cluster in clusters.values { cluster.stop() }
        tickerDone.wait()
        tlsServer?.stop()
        server.stop()
        logger.info("member simulator stopped", [.port: String(port)])
    }

    // MARK: - Request routing

    private static func route(_ request: HTTPRequest, clusters: [String: SimulatedCluster], clusterAPI: ClusterAPI,
                              controlAPI: ControlAPI, adminToken: String,
                              partitionHoldSeconds: Double) throws -> HTTPResponse {
        let segments = request.path.split(separator: "/")
        switch segments.first {
        case "clusters":
            guard segments.count >= 2, let cluster = clusters[String(segments[1])] else {
                let name = segments.count >= 2 ? String(segments[1]) : ""
                return KubeStatus(code: 404, reason: "NotFound",
                                  message: "no simulated cluster is named \"\(name)\"").response
            }
            if let failure = applyFault(cluster, holdSeconds: partitionHoldSeconds) {
                return failure
            }
            guard bearerToken(request).map({ constantTimeEquals($0, cluster.token) }) == true else {
                return KubeStatus.unauthorized.response
            }
            return try clusterAPI.handle(request)
        case "simulator":
            guard bearerToken(request).map({ constantTimeEquals($0, adminToken) }) == true else {
                return .error(status: 401, code: "UNAUTHENTICATED",
                              message: "send the simulator's admin token as a bearer token")
            }
            return try controlAPI.router.handle(request)
        default:
            if request.path == "/healthz" { return .text(200, "ok\n") }
            return .error(status: 404, code: "NOT_FOUND",
                          message: "no resource at \(request.path); cluster APIs are under /clusters/<name>")
        }
    }

    /// Applies the cluster's fault to one request: returns the failure response, or nil when the
    /// request may go on, possibly after a delay.
    private static func applyFault(_ cluster: SimulatedCluster, holdSeconds: Double) -> HTTPResponse? {
        switch cluster.fault {
        case .none:
            return nil
        case .down:
            return KubeStatus(code: 503, reason: "ServiceUnavailable",
                              message: "cluster \(cluster.spec.name) is down (simulated fault)").response
        case .slow(let latencyMs):
            cluster.sleep(seconds: Double(latencyMs) / 1000)
            return nil
        case .partitioned:
            guard cluster.waitWhilePartitioned(seconds: holdSeconds) else {
                return KubeStatus(code: 504, reason: "Timeout",
                                  message: "cluster \(cluster.spec.name) did not respond within \(holdSeconds) s "
                                      + "(simulated partition)").response
            }
            // The partition ended: serve the request under the fault that is set now.
            return cluster.fault == .partitioned ? nil : applyFault(cluster, holdSeconds: holdSeconds)
        }
    }

    private static func bearerToken(_ request: HTTPRequest) -> String? {
        guard let header = request.headers["Authorization"] else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        return parts[1].trimmingCharacters(in: .whitespaces)
    }

    /// Compares without an early exit, so response time does not reveal how much of a token matched.
    private static func constantTimeEquals(_ lhs: String, _ rhs: String) -> Bool {
        let left = Array(lhs.utf8)
        let right = Array(rhs.utf8)
        guard left.count == right.count else { return false }
        var difference: UInt8 = 0
        for index in left.indices { difference |= left[index] ^ right[index] }
        return difference == 0
    }

    /// Returns 32 random bytes as 64 hex digits.
    private static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in
            let byte = UInt8.random(in: 0...255, using: &generator)
            return String(format: "%02x", byte)
        }.joined()
    }

    // MARK: - Ticker

    /// Starts the thread that advances pods: readiness after the delay and job completion.
    private func startTicker(every seconds: Double) {
        let clusters = Array(self.clusters.values)
        let stopSignal = self.stopSignal
        let done = tickerDone
        let thread = Thread {
            while !stopSignal.wait(seconds: seconds) {
                let now = Date()
                for cluster in clusters {
                    cluster.withState { $0.reconcile(now: now) }
                }
            }
            done.signal()
        }
        thread.name = "membersim-ticker"
        thread.start()
    }
}
