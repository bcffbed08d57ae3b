import DRODSCore
import Foundation
import XCTest

final class DataPlaneAPITests: APITestCase {
    private func registerCluster() throws -> String {
        let name = unique("member")
        XCTAssertEqual(try plane.call("POST", "/api/v1/clusters", token: admin, body: clusterBody(name)).status, 201)
        return name
    }

    private func timestamp() -> String { ISO8601DateFormatter().string(from: Date()) }

    func testAgentReportsMetricsForItsOwnClusterOnly() throws {
        let name = try registerCluster()
        let agent = plane.token(.agent, subject: "agent-\(name)", cluster: name)
        let report = """
            {"cluster": "\(name)", "timestamp": "\(timestamp())", "cpuUsage": 72.4, "memoryAvailable": 15.2,
             "podsTotal": 110, "podsUsed": 40, "networkTrafficBps": 1200000000}
            """
        let accepted = try plane.call("PUT", "/api/v1/metrics", token: agent, body: report)
        XCTAssertEqual(accepted.status, 202, "\(accepted.json)")

        let otherAgent = plane.token(.agent, subject: "agent-other", cluster: "some-other-cluster")
        let denied = try plane.call("PUT", "/api/v1/metrics", token: otherAgent, body: report)
        XCTAssertEqual(denied.status, 403)
        XCTAssertEqual(denied.json["code"]?.stringValue, "FORBIDDEN")

        let malformed = try plane.call("PUT", "/api/v1/metrics", token: agent,
                                       body: #"{"cluster": "\#(name)", "timestamp": "now", "cpuUsage": 140}"#)
        XCTAssertEqual(malformed.status, 400)
        XCTAssertTrue(fieldErrors(malformed.json).contains("cpuUsage"), "\(malformed.json)")
        XCTAssertTrue(fieldErrors(malformed.json).contains("timestamp"), "\(malformed.json)")

        let visible = try eventually {
            let view = try plane.call("GET", "/api/v1/monitor/realtime", token: viewer)
            guard case .array(let clusters) = view.json["clusters"] ?? .null else { return false }
            return clusters.contains { cluster in
                guard cluster["cluster"]?.stringValue == name, let level = cluster["waterLevel"]?.doubleValue else { return false }
                return abs(level - 0.724) < 1e-9
            }
        }
        XCTAssertTrue(visible, "the live view never showed the report")
        let view = try plane.call("GET", "/api/v1/monitor/realtime", token: viewer)
        XCTAssertNotNil(view.json["activeClusters"]?.doubleValue)
        XCTAssertNotNil(view.json["totalPods"]?.doubleValue)
        XCTAssertNotNil(view.json["networkTraffic"]?.stringValue)
    }

    /// The 202 comes after Kafka's acknowledgement, and the audit record carries that status.
    func testAcceptedMetricsReportIsAudited() throws {
        let name = try registerCluster()
        let agent = plane.token(.agent, subject: "agent-\(name)", cluster: name)
        let requestID = unique("req-metrics")
        let report = """
            {"cluster": "\(name)", "timestamp": "\(timestamp())", "cpuUsage": 12.5, "memoryAvailable": 3}
            """
        let accepted = try plane.call("PUT", "/api/v1/metrics", token: agent, body: report, requestID: requestID)
        XCTAssertEqual(accepted.status, 202, "\(accepted.json)")
        XCTAssertEqual(accepted.json["accepted"], .bool(true))
        XCTAssertEqual(accepted.json["cluster"]?.stringValue, name)

        var record: JSONValue?
        _ = try eventually {
            let page = try plane.call("GET", "/api/v1/audit?maxEntries=1000", token: admin)
            guard case .array(let entries) = page.json["entries"] ?? .null else { return false }
            record = entries.first { $0["requestId"]?.stringValue == requestID }
            return record != nil
        }
        XCTAssertEqual(record?["status"]?.doubleValue, 202)
        XCTAssertEqual(record?["outcome"]?.stringValue, "allowed")
        XCTAssertEqual(record?["actor"]?.stringValue, "agent-\(name)")
        XCTAssertEqual(record?["action"]?.stringValue, "PUT /api/v1/metrics")
    }

    func testPrometheusTextReportIsAccepted() throws {
        let name = try registerCluster()
        let agent = plane.token(.agent, subject: "agent-\(name)", cluster: name)
        let text = """
            # TYPE drods_cluster_cpu_usage_percent gauge
            drods_cluster_cpu_usage_percent{cluster="\(name)"} 31
            drods_cluster_memory_available_gib{cluster="\(name)"} 64
            drods_cluster_cpu_millicores{cluster="\(name)",kind="total"} 32000
            drods_cluster_cpu_millicores{cluster="\(name)",kind="used"} 16000
            """
        let accepted = try plane.call("PUT", "/api/v1/metrics", token: agent, body: text, contentType: "text/plain; version=0.0.4")
        XCTAssertEqual(accepted.status, 202, "\(accepted.json)")
        let broken = try plane.call("PUT", "/api/v1/metrics", token: agent,
                                    body: "drods_cluster_cpu_usage_percent{cluster=\"\(name)\"} lots", contentType: "text/plain")
        XCTAssertEqual(broken.status, 400)
        XCTAssertEqual(broken.json["details"]?["line"]?.doubleValue, 1, "\(broken.json)")

        XCTAssertTrue(try eventually {
            let view = try plane.call("GET", "/api/v1/monitor/realtime", token: viewer)
            guard case .array(let clusters) = view.json["clusters"] ?? .null else { return false }
            return clusters.contains { $0["cluster"]?.stringValue == name && $0["waterLevel"]?.doubleValue == 0.5 }
        }, "the live view never showed the Prometheus report")
    }

    func testCriticalEventBecomesFailureHistory() throws {
        let name = try registerCluster()
        let agent = plane.token(.agent, subject: "agent-\(name)", cluster: name)
        let event = """
            {"cluster": "\(name)", "type": "NodeNotReady", "severity": "critical", "message": "node-3 stopped reporting",
             "timestamp": "\(timestamp())", "node": "node-3"}
            """
        let accepted = try plane.call("POST", "/api/v1/metrics/events", token: agent, body: event)
        XCTAssertEqual(accepted.status, 202, "\(accepted.json)")
        let failures = try plane.call("GET", "/api/v1/history/failures?maxEntries=1000", token: viewer)
        guard case .array(let entries) = failures.json["entries"] ?? .null else { return XCTFail("\(failures.json)") }
        let events = entries.filter { $0["cluster"]?.stringValue == name }.compactMap { $0["event"]?.stringValue }
        XCTAssertTrue(events.contains("ClusterFailureReported"), "failures of \(name): \(events)")
    }

    func testSyncBatchAllowsAThousandObjectsAndRejectsMore() throws {
        let name = try registerCluster()
        let agent = plane.token(.agent, subject: "agent-\(name)", cluster: name)
        func batch(_ count: Int) -> String {
            let objects = (0..<count).map { #"{"kind": "Deployment", "namespace": "default", "name": "app-\#($0)", "status": {"readyReplicas": 1}}"# }
            return #"{"cluster": "\#(name)", "objects": [\#(objects.joined(separator: ","))]}"#
        }
        let full = try plane.call("POST", "/api/v1/sync/batch", token: agent, body: batch(1000))
        XCTAssertEqual(full.status, 200, "\(full.json)")
        XCTAssertEqual(full.json["objects"]?.doubleValue, 1000)

        let over = try plane.call("POST", "/api/v1/sync/batch", token: agent, body: batch(1001))
        XCTAssertEqual(over.status, 400)
        XCTAssertTrue(fieldErrors(over.json).contains("objects"), "\(over.json)")
        XCTAssertEqual(full.json["version"]?.doubleValue, 1, "only the accepted batch was recorded")

        let configs = try plane.call("PUT", "/api/v1/sync/configs", token: agent,
                                     body: #"{"cluster": "\#(name)", "configs": [{"kind": "ConfigMap", "namespace": "default", "name": "settings", "data": {"a": "1"}}]}"#)
        XCTAssertEqual(configs.status, 200, "\(configs.json)")
    }
}
