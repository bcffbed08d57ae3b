import DRODSAgent
import DRODSCore
import DRODSHTTP
import DRODSMemberSim
import DRODSTestSupport
import Foundation
import XCTest

/// Agents read simulated member clusters and report through the real gateway. The scheduler
/// places work by those reports and moves it when a cluster stops reporting.
final class AgentEndToEndTests: XCTestCase {
    private let fleetYAML = """
        latencyMs:
          us-east-1: {us-west-2: 65}
        clusters:
          - name: ae-east
            provider: aws
            region: us-east-1
            zone: us-east-1a
            pricePerHour: {vcpu: 0.05, memoryGB: 0.006}
            nodePools:
              - {instanceType: m6i.2xlarge, count: 3, cpu: 8, memory: 32Gi}
          - name: ae-west
            provider: aws
            region: us-west-2
            zone: us-west-2a
            pricePerHour: {vcpu: 0.05, memoryGB: 0.006}
            nodePools:
              - {instanceType: m6i.2xlarge, count: 3, cpu: 8, memory: 32Gi}
        """

    func testPlacementFollowsAgentReports() throws {
        let plane = try TestControlPlane(extraEnvironment: ["DRODS_SCHEDULER_REPORT_DEADLINE_S": "3",
                                                            "DRODS_MONITOR_HEARTBEAT_TIMEOUT_S": "3"])
        defer { plane.stop() }
        let quiet = Logger(service: "agent-tests", level: .error)
        let simulator = try MemberSimulator(
            configuration: MemberSimConfiguration(fleet: try FleetParser.parse(yaml: fleetYAML), servesTLS: false),
            logger: quiet)
        defer { simulator.stop() }

        let admin = plane.token(.admin, subject: "alice")
        let stop = StopSignal()
        defer { stop.stop() }
        try registerWithAgents(simulator, plane: plane, stop: stop, logger: quiet)

        // The live view shows a report from each cluster's agent.
        var live = JSONValue.null
        let reported = try eventually {
            live = try plane.call("GET", "/api/v1/monitor/realtime", token: admin).json
            guard case .array(let clusters) = live["clusters"] ?? .null else { return false }
            return clusters.filter { ($0["name"]?.stringValue ?? $0["cluster"]?.stringValue ?? "").hasPrefix("ae-") }.count == 2
        }
        XCTAssertTrue(reported, "\(live)")

        let body = #"{"requirements": {"cpu": "1", "memory": "1Gi"}, "replicas": 4, "placement": {"targetClusters": ["ae-east", "ae-west"]}}"#
        let accepted = try plane.call("POST", "/api/v1/bindings", token: admin, body: body)
        XCTAssertEqual(accepted.status, 202, "\(accepted.json)")
        let path = try XCTUnwrap(accepted.json["statusUrl"]?.stringValue)
        var status = JSONValue.null
        XCTAssertTrue(try eventually {
            status = try plane.call("GET", path, token: admin).json
            return status["phase"]?.stringValue == "Scheduled"
        }, "\(status)")

        // ae-east goes down: its agent cannot read it, its reports stop, and after the report
        // deadline its replicas move to ae-west.
        XCTAssertTrue(simulator.setFault(.down, cluster: "ae-east"))
        XCTAssertTrue(try eventually(seconds: 30) {
            status = try plane.call("GET", path, token: admin).json
            return status["placement"]?["ae-east"] == nil && status["placement"]?["ae-west"]?.doubleValue == 4
        }, "\(status)")
        XCTAssertTrue((status["explanation"]?["reason"]?.stringValue ?? "").contains("ae-east is unknown"), "\(status)")

        // The monitor records the silence in the failure history.
        var failures = JSONValue.null
        XCTAssertTrue(try eventually {
            failures = try plane.call("GET", "/api/v1/history/failures?maxEntries=100", token: admin).json
            guard case .array(let entries) = failures["entries"] ?? .null else { return false }
            return entries.contains {
                $0["cluster"]?.stringValue == "ae-east" && $0["details"]?["type"]?.stringValue == "ClusterUnreachable"
            }
        }, "\(failures)")
    }

    /// A deployment selected by a propagation policy runs in the simulated clusters the
    /// scheduler chose, applied by their agents. When one cluster goes down, its share is
    /// planned and applied on the other.
    func testDeploymentRunsAndFailsOver() throws {
        let plane = try TestControlPlane(extraEnvironment: ["DRODS_SCHEDULER_REPORT_DEADLINE_S": "3"])
        defer { plane.stop() }
        let quiet = Logger(service: "agent-tests", level: .error)
        let simulator = try MemberSimulator(
            configuration: MemberSimConfiguration(fleet: try FleetParser.parse(yaml: fleetYAML), servesTLS: false,
                                                  behavior: ClusterBehavior(podReadyDelaySeconds: 0.2)),
            logger: quiet)
        defer { simulator.stop() }

        let admin = plane.token(.admin, subject: "alice")
        let stop = StopSignal()
        defer { stop.stop() }
        try registerWithAgents(simulator, plane: plane, stop: stop, logger: quiet)

        let policy = #"{"name": "shop", "resourceType": "Deployment", "targetClusters": ["ae-east", "ae-west"], "namespace": "shop"}"#
        XCTAssertEqual(try plane.call("POST", "/api/v1/propagationpolicies", token: admin, body: policy).status, 201)
        let deployment = #"{"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web", "namespace": "shop"}, "spec": {"replicas": 4, "selector": {"matchLabels": {"app": "web"}}, "template": {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [{"name": "web", "image": "nginx", "resources": {"requests": {"cpu": "500m", "memory": "256Mi"}}}]}}}}"#
        XCTAssertEqual(try plane.call("POST", "/api/v1/workloads", token: admin, body: deployment).status, 201)

        let client = HTTPClient(defaultTimeout: 5)
        func ready(in cluster: String) -> Int? {
            let url = simulator.serverURL(forCluster: cluster) + "/apis/apps/v1/namespaces/shop/deployments/web"
            guard let response = try? client.request(url: url, headers: ["Authorization": "Bearer \(simulator.token(forCluster: cluster) ?? "")"]),
                  response.status == 200, let body = try? WireJSON.decode(JSONValue.self, from: response.body) else { return nil }
            return Int(body["status"]?["readyReplicas"]?.doubleValue ?? 0)
        }
        let path = "/api/v1/bindings/wl.deployment.shop.web/status"
        var status = JSONValue.null
        XCTAssertTrue(try eventually(seconds: 30) {
            status = try plane.call("GET", path, token: admin).json
            guard case .object(let placement) = status["placement"] ?? .null, !placement.isEmpty else { return false }
            return placement.allSatisfy { ready(in: $0.key) == Int($0.value.doubleValue ?? -1) }
        }, "replicas not running where placed: \(status)")
        let total = ["ae-east", "ae-west"].compactMap { ready(in: $0) }.reduce(0, +)
        XCTAssertEqual(total, 4, "every replica runs once")
        // The binding's status adds up what the agents report of their clusters.
        XCTAssertTrue(try eventually {
            status = try plane.call("GET", path, token: admin).json
            return status["readyReplicas"]?.doubleValue == 4
        }, "\(status)")
        let works = try plane.call("GET", "/api/v1/clusters/ae-west/works", token: plane.token(.agent, cluster: "ae-east"))
        XCTAssertEqual(works.status, 403, "an agent reads its own cluster's works only")

        XCTAssertTrue(simulator.setFault(.down, cluster: "ae-east"))
        XCTAssertTrue(eventually(seconds: 40) { ready(in: "ae-west") == 4 }, "ae-west never ran all replicas")
        status = try plane.call("GET", path, token: admin).json
        XCTAssertEqual(status["placement"]?["ae-west"]?.doubleValue, 4, "\(status)")
    }

    /// Registers every simulated cluster through the API and runs an agent for each until `stop`.
    private func registerWithAgents(_ simulator: MemberSimulator, plane: TestControlPlane, stop: StopSignal,
                                    logger: Logger) throws {
        let admin = plane.token(.admin, subject: "alice")
        for name in simulator.clusterNames {
            let body = #"{"name": "\#(name)", "endpoint": "https://\#(name).example:6443", "region": "us-east-1"}"#
            XCTAssertEqual(try plane.call("POST", "/api/v1/clusters", token: admin, body: body).status, 201)
            let agent = Agent(configuration: AgentConfiguration(
                cluster: name, kubernetesURL: simulator.serverURL(forCluster: name),
                kubernetesToken: try XCTUnwrap(simulator.token(forCluster: name)), gatewayURL: plane.gatewayURL,
                gatewayToken: plane.token(.agent, subject: "agent-\(name)", cluster: name), interval: 0.5), logger: logger)
            Thread { agent.run(stop: stop) }.start()
        }
    }

    private func eventually(seconds: Double = 20, _ condition: () throws -> Bool) rethrows -> Bool {
        let deadline = Date(timeIntervalSinceNow: seconds)
        while Date() < deadline {
            if try condition() { return true }
            Thread.sleep(forTimeInterval: 0.1)
        }
        return try condition()
    }
}
