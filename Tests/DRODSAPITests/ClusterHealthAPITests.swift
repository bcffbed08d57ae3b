import DRODSCore
import DRODSTestSupport
import Foundation
import XCTest

/// A cluster's status in the API follows the monitor's judgement of its load reports: Pending
/// until the first report, Ready while reports arrive, Unknown once they stop for the heartbeat
/// timeout, and Ready again when they resume. Only the outage appears in the failure history.
final class ClusterHealthAPITests: XCTestCase {
    /// Seconds of silence after which the monitor of this test judges a cluster unknown.
    private static let heartbeatTimeout = 3.0

    func testStatusFollowsReportsWithoutSpuriousFailures() throws {
        let plane = try TestControlPlane(extraEnvironment: [
            "DRODS_MONITOR_HEARTBEAT_TIMEOUT_S": String(Int(Self.heartbeatTimeout)),
            "DRODS_MONITOR_CHECK_INTERVAL_S": "0.2",
        ])
        defer { plane.stop() }
        let admin = plane.token(.admin, subject: "alice")
        let name = "health-\(UUID().uuidString.prefix(8).lowercased())"
        let agent = plane.token(.agent, subject: "agent-\(name)", cluster: name)
        let registration = #"{"name": "\#(name)", "endpoint": "https://\#(name).k8s.example:6443"}"#
        XCTAssertEqual(try plane.call("POST", "/api/v1/clusters", token: admin, body: registration).status, 201)
        XCTAssertEqual(try status(of: name, plane: plane, token: admin)["phase"]?.stringValue, "Pending")

        // Reports every half second: the cluster turns Ready and stays so.
        let reporting = StopSignal()
        let reporter = Thread {
            repeat {
                _ = try? plane.call("PUT", "/api/v1/metrics", token: agent, body: Self.report(name))
            } while !reporting.wait(seconds: 0.5)
        }
        reporter.start()
        var seen = JSONValue.null
        let ready = try eventually {
            seen = try status(of: name, plane: plane, token: admin)
            return seen["phase"]?.stringValue == "Ready"
        }
        XCTAssertTrue(ready, "status while reporting: \(seen)")
        XCTAssertEqual(try listedPhase(of: name, plane: plane, token: admin), "Ready", "the list shows the same status")

        // A change of the cluster itself keeps the status the monitor set.
        let patched = try plane.call("PATCH", "/api/v1/clusters/\(name)", token: admin, body: #"{"zone": "b"}"#,
                                     contentType: "application/merge-patch+json")
        XCTAssertEqual(patched.status, 200, "\(patched.json)")
        XCTAssertEqual(try plane.call("GET", "/api/v1/clusters/\(name)", token: admin).json["zone"]?.stringValue, "b")
        XCTAssertEqual(try status(of: name, plane: plane, token: admin)["phase"]?.stringValue, "Ready")
        XCTAssertEqual(try failureEvents(of: name, plane: plane, token: admin), [],
                       "a first report is no failure and resolves none")

        // Reports stop: after the heartbeat timeout the status is Unknown, with the silence.
        reporting.stop()
        let unknown = try eventually(seconds: Self.heartbeatTimeout + 15) {
            seen = try status(of: name, plane: plane, token: admin)
            return seen["phase"]?.stringValue == "Unknown"
        }
        XCTAssertTrue(unknown, "status after the reports stopped: \(seen)")
        XCTAssertTrue(seen["message"]?.stringValue?.hasPrefix("no load report for") ?? false, "\(seen)")
        XCTAssertNotNil(seen["lastHeartbeat"]?.stringValue, "\(seen)")
        XCTAssertEqual(try listedPhase(of: name, plane: plane, token: admin), "Unknown")
        var failures: [String] = []
        XCTAssertTrue(try eventually {
            failures = try failureEvents(of: name, plane: plane, token: admin)
            return !failures.isEmpty
        })
        XCTAssertEqual(failures, ["ClusterFailureReported/ClusterUnreachable"])

        // Reports resume: Ready again, and the outage is resolved once.
        XCTAssertEqual(try plane.call("PUT", "/api/v1/metrics", token: agent, body: Self.report(name)).status, 202)
        let back = try eventually {
            seen = try status(of: name, plane: plane, token: admin)
            return seen["phase"]?.stringValue == "Ready"
        }
        XCTAssertTrue(back, "status after one more report: \(seen)")
        XCTAssertTrue(try eventually {
            failures = try failureEvents(of: name, plane: plane, token: admin)
            return failures.count == 2
        })
        XCTAssertEqual(failures, ["ClusterFailureReported/ClusterUnreachable", "ClusterFailureResolved/ClusterReachable"])
    }

    // MARK: - Helpers

    private static func report(_ cluster: String) -> String {
        """
        {"cluster": "\(cluster)", "timestamp": "\(ISO8601DateFormatter().string(from: Date()))", "cpuUsage": 10,
         "memoryAvailable": 60, "cpuTotalMillis": 16000, "cpuUsedMillis": 1600,
         "memoryTotalBytes": \(64 << 30), "memoryUsedBytes": \(8 << 30), "podsTotal": 110, "podsUsed": 10}
        """
    }

    private func status(of cluster: String, plane: TestControlPlane, token: String) throws -> JSONValue {
        let response = try plane.call("GET", "/api/v1/clusters/\(cluster)", token: token)
        XCTAssertEqual(response.status, 200, "\(response.json)")
        return response.json["status"] ?? .null
    }

    private func listedPhase(of cluster: String, plane: TestControlPlane, token: String) throws -> String? {
        let response = try plane.call("GET", "/api/v1/clusters", token: token)
        guard case .array(let items) = response.json["items"] ?? .null else { return nil }
        return items.first { $0["name"]?.stringValue == cluster }?["status"]?["phase"]?.stringValue
    }

    /// Returns the cluster's failure history entries as `event/type`, oldest first.
    private func failureEvents(of cluster: String, plane: TestControlPlane, token: String) throws -> [String] {
        let response = try plane.call("GET", "/api/v1/history/failures?maxEntries=1000", token: token)
        guard case .array(let entries) = response.json["entries"] ?? .null else {
            XCTFail("no entries in \(response.json)")
            return []
        }
        return entries.filter { $0["cluster"]?.stringValue == cluster }.map {
            "\($0["event"]?.stringValue ?? "?")/\($0["details"]?["type"]?.stringValue ?? "?")"
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
