import DRODSCore
import DRODSEventStore
import DRODSTestSupport
import Foundation
import XCTest

/// Two scheduler instances: one decides, the other waits on the leader lock. When the leader
/// dies, the standby takes over and decides what is left, and no binding is decided twice.
final class SchedulerFailoverTests: XCTestCase {
    func testStandbyTakesOverAndDecidesNothingTwice() throws {
        let plane = try TestControlPlane()
        defer { plane.stop() }
        let leader = try XCTUnwrap(plane.services.first { $0.executable == "drods-scheduler" })
        XCTAssertTrue(waitFor { leader.log.contains("elected leader") }, "the first scheduler never led")
        let standby = try ServiceUnderTest("drods-scheduler", environment: plane.environment)
        defer {
            standby.signal(SIGTERM)
            _ = standby.waitForExit(timeout: 20)
        }
        XCTAssertTrue(standby.waitUntilReady(), standby.log)
        XCTAssertFalse(standby.log.contains("elected leader"), "two leaders at once")

        let admin = plane.token(.admin, subject: "alice")
        let cluster = "pool-\(UUID().uuidString.prefix(8).lowercased())"
        let registration = #"{"name": "\#(cluster)", "endpoint": "https://\#(cluster).example:6443"}"#
        XCTAssertEqual(try plane.call("POST", "/api/v1/clusters", token: admin, body: registration).status, 201)
        let report = """
            {"cluster": "\(cluster)", "timestamp": "\(ISO8601DateFormatter().string(from: Date()))", "cpuUsage": 10,
             "memoryAvailable": 80, "cpuTotalMillis": 64000, "cpuUsedMillis": 1000,
             "memoryTotalBytes": \(256 << 30), "memoryUsedBytes": \(8 << 30), "podsTotal": 500, "podsUsed": 5}
            """
        let agent = plane.token(.agent, subject: "agent", cluster: cluster)
        XCTAssertEqual(try plane.call("PUT", "/api/v1/metrics", token: agent, body: report).status, 202)

        func submit() throws -> String {
            let body = #"{"requirements": {"cpu": "1", "memory": "1Gi"}, "replicas": 2, "placement": {"targetClusters": ["\#(cluster)"]}}"#
            let accepted = try plane.call("POST", "/api/v1/bindings", token: admin, body: body)
            XCTAssertEqual(accepted.status, 202, "\(accepted.json)")
            return try XCTUnwrap(accepted.json["statusUrl"]?.stringValue)
        }
        func scheduled(_ path: String) -> Bool {
            (try? plane.call("GET", path, token: admin).json["phase"]?.stringValue) == "Scheduled"
        }

        let before = try submit()
        XCTAssertTrue(waitFor { scheduled(before) }, "the leader did not decide")

        leader.signal(SIGKILL)
        XCTAssertTrue(leader.waitForExit(timeout: 10))
        let after = try submit()
        XCTAssertTrue(waitFor(seconds: 60) { scheduled(after) }, "the standby did not take over:\n\(standby.log)")
        XCTAssertTrue(standby.log.contains("elected leader"))

        // The standby rebuilt its view from the log: it decided the new binding only.
        let pool = ConnectionPool(url: plane.postgresURL, maxConnections: 1)
        defer { pool.close() }
        let counts = try pool.withConnection { connection in
            try connection.query("""
                SELECT stream_id, count(*) FROM event_log WHERE type = 'BindingScheduled' GROUP BY stream_id
                """).rows
        }
        XCTAssertEqual(counts.count, 2, "\(counts)")
        XCTAssertTrue(counts.allSatisfy { $0[1] == "1" }, "a binding was decided twice: \(counts)")
    }

    private func waitFor(seconds: Double = 30, _ condition: () -> Bool) -> Bool {
        let deadline = Date(timeIntervalSinceNow: seconds)
        while Date() < deadline {
            if condition() { return true }
            Thread.sleep(forTimeInterval: 0.1)
        }
        return condition()
    }
}
