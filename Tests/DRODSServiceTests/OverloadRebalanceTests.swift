import DRODSCore
import DRODSTestSupport
import Foundation
import XCTest

/// A cluster that stays above the overload level loses its low-priority work to clusters with
/// room; higher-priority work stays.
final class OverloadRebalanceTests: XCTestCase {
    func testLowPriorityReplicasLeaveAnOverloadedCluster() throws {
        let plane = try TestControlPlane(extraEnvironment: [
            "DRODS_SCHEDULER_OVERLOAD_LEVEL": "0.8", "DRODS_SCHEDULER_OVERLOAD_AFTER_S": "0",
        ])
        defer { plane.stop() }
        let admin = plane.token(.admin, subject: "alice")
        func report(_ cluster: String, usedCores: Int) throws {
            let body = """
                {"cluster": "\(cluster)", "timestamp": "\(ISO8601DateFormatter().string(from: Date()))", "cpuUsage": \(usedCores * 100 / 64),
                 "memoryAvailable": 200, "cpuTotalMillis": 64000, "cpuUsedMillis": \(usedCores * 1000),
                 "memoryTotalBytes": \(256 << 30), "memoryUsedBytes": \(8 << 30), "podsTotal": 500, "podsUsed": 5}
                """
            XCTAssertEqual(try plane.call("PUT", "/api/v1/metrics", token: admin, body: body).status, 202)
        }
        for cluster in ["hot", "cool"] {
            let body = #"{"name": "\#(cluster)", "endpoint": "https://\#(cluster).example:6443"}"#
            XCTAssertEqual(try plane.call("POST", "/api/v1/clusters", token: admin, body: body).status, 201)
            try report(cluster, usedCores: 4)
        }
        // Load reports reach the scheduler on Kafka, not through the log, and submissions no
        // longer wait for a read model: a binding submitted at once could be decided before
        // cool's first report, with cool unknown. Ready clusters have been seen reporting.
        func ready(_ cluster: String) -> Bool {
            (try? plane.call("GET", "/api/v1/clusters/\(cluster)", token: admin).json["status"]?["phase"]?.stringValue) == "Ready"
        }
        XCTAssertTrue(waitFor { ready("hot") }, "hot never reported ready")
        XCTAssertTrue(waitFor { ready("cool") }, "cool never reported ready")
        Thread.sleep(forTimeInterval: 0.5)

        func submit(priority: Int) throws -> String {
            let body = #"{"requirements": {"cpu": "1", "memory": "1Gi"}, "replicas": 4, "priority": \#(priority), "placement": {"targetClusters": ["hot", "cool"], "replicaScheduling": {"type": "Divided", "divisionPreference": "Weighted", "weights": {"hot": 1, "cool": 1}}}}"#
            let accepted = try plane.call("POST", "/api/v1/bindings", token: admin, body: body)
            XCTAssertEqual(accepted.status, 202, "\(accepted.json)")
            return try XCTUnwrap(accepted.json["statusUrl"]?.stringValue)
        }
        func placement(_ path: String) -> [String: Double] {
            guard case .object(let members)? = try? plane.call("GET", path, token: admin).json["placement"] else { return [:] }
            return members.compactMapValues(\.doubleValue)
        }
        let low = try submit(priority: 0)
        let high = try submit(priority: 500)
        XCTAssertTrue(waitFor { placement(low) == ["hot": 2, "cool": 2] }, "low: \(placement(low))")
        XCTAssertTrue(waitFor { placement(high) == ["hot": 2, "cool": 2] }, "high: \(placement(high))")

        // 90% of hot's cores in use: above the level. One binding moves per report.
        try report("hot", usedCores: 58)
        XCTAssertTrue(waitFor { placement(low) == ["cool": 4] }, "low priority stayed: \(placement(low))")
        let status = try plane.call("GET", low, token: admin).json
        XCTAssertTrue((status["explanation"]?["reason"]?.stringValue ?? "").contains("stayed above water level"), "\(status)")
        try report("hot", usedCores: 58)
        Thread.sleep(forTimeInterval: 2)
        XCTAssertEqual(placement(high), ["hot": 2, "cool": 2], "priority 500 is above the movable priorities")
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
