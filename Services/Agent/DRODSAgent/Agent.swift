import DRODSCore
import DRODSHTTP
import Foundation

/// The agent of one member cluster. Every `interval` it pulls the works DRO-DS planned for the
/// cluster (`GET /api/v1/clusters/{name}/works`) and applies them, then reads the cluster's
/// nodes, pods and workloads and reports them through the gateway: the load
/// (`PUT /api/v1/metrics`), node readiness changes (`POST /api/v1/metrics/events`) and workload
/// statuses (`POST /api/v1/sync/batch`). A failed round is logged and the next one tries again; a
/// readiness change that could not be sent is sent with the next round.
public final class Agent: @unchecked Sendable {
    public let configuration: AgentConfiguration
    private let logger: Logger
    private let kubernetes: KubernetesClient
    private let gateway: HTTPClient
    private var readiness = NodeReadiness()
    /// Events not yet accepted by the gateway, oldest first.
    private var unsentEvents: [JSONValue] = []
    /// Whether the cluster serves `/simulator/usage`; nil until a round has read it or got a 404.
    private var hasUsageEndpoint: Bool?

    public init(configuration: AgentConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger.with(["cluster": configuration.cluster])
        let client = HTTPClient(defaultTimeout: configuration.requestTimeout)
        kubernetes = KubernetesClient(baseURL: Self.trimmed(configuration.kubernetesURL),
                                      token: configuration.kubernetesToken,
                                      timeout: configuration.requestTimeout, client: client)
        gateway = client
    }

    /// Reports every `interval` until `stop` is raised.
    public func run(stop: StopSignal) {
        logger.info("agent started", ["kubernetes.url": configuration.kubernetesURL,
                                      "gateway.url": configuration.gatewayURL,
                                      "interval.s": String(configuration.interval)])
        var failures = 0
        repeat {
            do {
                try round(at: Date())
                if failures > 0 { logger.info("reporting works again", ["attempt": String(failures + 1)]) }
                failures = 0
            } catch {
                failures += 1
                // Logged on the first failure and then every tenth, so an outage does not flood
                // the log.
                if failures == 1 || failures % 10 == 0 {
                    logger.warning("report round failed", [.error: String(describing: error), "attempt": String(failures)])
                }
            }
        } while !stop.wait(seconds: configuration.interval)
        logger.info("agent stopped")
    }

    /// Runs one round: applies the works, reads the cluster, then sends load, events and statuses.
    public func round(at time: Date) throws {
        let works = try pullWorks()
        _ = try WorkApplier(kubernetes: kubernetes, logger: logger).apply(works)

        let nodes = try kubernetes.list("/api/v1/nodes")
        let pods = try kubernetes.list("/api/v1/pods")
        var usage: JSONValue?
        if hasUsageEndpoint != false {
            // Only a 404 rules the endpoint out; a failed read is tried again next round.
            do {
                usage = try kubernetes.optional("/simulator/usage")
                hasUsageEndpoint = usage != nil
            } catch {
                logger.debug("measured usage not read", [.error: String(describing: error)])
            }
        }
        let report = ClusterLoad.report(cluster: configuration.cluster, nodes: nodes, pods: pods, usage: usage, at: time)
        try send("PUT", "/api/v1/metrics", report.jsonValue(), expecting: 202)

        unsentEvents += readiness.events(cluster: configuration.cluster, nodes: nodes, at: time)
        while let event = unsentEvents.first {
            try send("POST", "/api/v1/metrics/events", event, expecting: 202)
            unsentEvents.removeFirst()
            logger.info("node readiness change reported", ["event.type": event["type"]?.stringValue ?? "",
                                                            "node": event["node"]?.stringValue ?? ""])
        }

        for (kind, path) in [("Deployment", "/apis/apps/v1/deployments"), ("StatefulSet", "/apis/apps/v1/statefulsets"),
                             ("Job", "/apis/batch/v1/jobs")] {
            for batch in WorkloadStatuses.batches(cluster: configuration.cluster, kind: kind,
                                                  items: try kubernetes.list(path)) {
                try send("POST", "/api/v1/sync/batch", batch, expecting: 200)
            }
        }
        logger.debug("report sent", ["nodes": String(nodes.count), "pods": String(pods.count)])
    }

    private func pullWorks() throws -> [JSONValue] {
        let path = "/api/v1/clusters/\(configuration.cluster)/works"
        let response = try gateway.request(url: Self.trimmed(configuration.gatewayURL) + path,
                                           headers: ["Authorization": "Bearer \(configuration.gatewayToken)"])
        guard response.status == 200, case .array(let works) = (try WireJSON.decode(JSONValue.self, from: response.body))["works"] ?? .null else {
            throw KubernetesClient.Failure(description: "GET \(path) got HTTP \(response.status)")
        }
        return works
    }

    private func send(_ method: String, _ path: String, _ body: JSONValue, expecting status: Int) throws {
        let response = try gateway.request(
            method: method, url: Self.trimmed(configuration.gatewayURL) + path,
            headers: ["Authorization": "Bearer \(configuration.gatewayToken)", "Content-Type": "application/json"],
            body: try WireJSON.encode(body))
        guard response.status == status else {
            let error = (try? WireJSON.decode(JSONValue.self, from: response.body))?["code"]?.stringValue ?? ""
            throw KubernetesClient.Failure(description: "\(method) \(path) got HTTP \(response.status) \(error)")
        }
    }

    private static func trimmed(_ url: String) -> String {
        url.hasSuffix("/") ? String(url.dropLast()) : url
    }
}
