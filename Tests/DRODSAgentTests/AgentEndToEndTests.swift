import DRODSAgent
import DRODSCore
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

    func testAgentsReportAndPlacementFollowsTheirClusters() throws {
        let plane = try TestControlPlane(extraEnvironment: ["DRODS_SCHEDULER_REPORT_DEADLINE_S": "3"])
        defer { plane.stop() }
        let quiet = Logger(service: "agent-tests", level: .error)
        let simulator = try MemberSimulator(
            configuration: MemberSimConfiguration(fleet: try FleetParser.parse(yaml: fleetYAML), servesTLS: false),
            logger: quiet)
        defer { simulator.stop() }

        let admin = plane.token(.admin, subject: "alice")
        let stop = StopSignal()
        defer { stop.stop() }
        for name in simulator.clusterNames {
            let body = #"{"name": "\#(name)", "endpoint": "https://\#(name).example:6443", "region": "us-east-1"}"#
            XCTAssertEqual(try plane.call("POST", "/api/v1/clusters", token: admin, body: body).status, 201)
            let agent = Agent(configuration: AgentConfiguration(
                cluster: name, kubernetesURL: simulator.serverURL(forCluster: name),
                kubernetesToken: try XCTUnwrap(simulator.token(forCluster: name)), gatewayURL: plane.gatewayURL,
                gatewayToken: plane.token(.agent, subject: "agent-\(name)", cluster: name), interval: 0.5), logger: quiet)
            Thread { agent.run(stop: stop) }.start()
        }

        // The live view shows what the agents reported: 3 ready nodes and 24 cores each.
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
