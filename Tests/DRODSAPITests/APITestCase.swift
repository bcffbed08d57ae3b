import DRODSAuth
import DRODSCore
import DRODSTestSupport
import Foundation
import XCTest

/// Base class of the API tests: one control plane for the whole test process, started on
/// first use, so that each test pays only for its own requests.
class APITestCase: XCTestCase {
    nonisolated(unsafe) private static var shared: TestControlPlane?
    nonisolated(unsafe) private static var startError: Error?
    private static let lock = NSLock()

    var plane: TestControlPlane!
    var admin: String { plane.token(.admin, subject: "alice") }
    var operatorToken: String { plane.token(.operator, subject: "olivia") }
    var viewer: String { plane.token(.viewer, subject: "victor") }

    override func setUpWithError() throws {
        plane = try Self.lock.withLock {
            if let shared = Self.shared { return shared }
            if let startError = Self.startError { throw startError }
            do {
                let started = try TestControlPlane()
                Self.shared = started
                atexit { APITestCase.shared?.stop() }
                return started
            } catch {
                Self.startError = error
                throw error
            }
        }
    }

    /// A name no other test uses, for resources that must not collide.
    func unique(_ prefix: String) -> String {
        "\(prefix)-\(UUID().uuidString.prefix(8).lowercased())"
    }

    func clusterBody(_ name: String, extra: String = "") -> String {
        """
        {"name": "\(name)", "endpoint": "https://\(name).k8s.example:6443", "capabilities": ["gpu"],
         "region": "us-east-1", "labels": {"env": "prod"}\(extra)}
        """
    }

    /// Registers a cluster and sends one load report for it as its agent; returns its name.
    func registerReportingCluster(cpuCores: Int64, gpus: Int64 = 0) throws -> String {
        let name = unique("pool")
        XCTAssertEqual(try plane.call("POST", "/api/v1/clusters", token: admin, body: clusterBody(name)).status, 201)
        let agent = plane.token(.agent, subject: "agent-\(name)", cluster: name)
        let report = """
            {"cluster": "\(name)", "timestamp": "\(ISO8601DateFormatter().string(from: Date()))", "cpuUsage": 10,
             "memoryAvailable": 60, "cpuTotalMillis": \(cpuCores * 1000), "cpuUsedMillis": \(cpuCores * 100),
             "memoryTotalBytes": \(cpuCores * 4 << 30), "memoryUsedBytes": \(cpuCores << 30),
             "gpuTotal": \(gpus), "gpuUsed": 0, "podsTotal": 110, "podsUsed": 10,
             "largestFreeNode": {"cpuMillis": 8000, "memoryBytes": \(32 << 30), "gpu": \(gpus)}}
            """
        XCTAssertEqual(try plane.call("PUT", "/api/v1/metrics", token: agent, body: report).status, 202)
        return name
    }

    func fieldErrors(_ json: JSONValue) -> [String] {
        guard case .array(let errors) = json["details"]?["errors"] ?? .null else { return [] }
        return errors.compactMap { $0["field"]?.stringValue }
    }

    /// Waits until `condition` holds, for state that other services update asynchronously.
    func eventually(seconds: Double = 20, _ condition: () throws -> Bool) rethrows -> Bool {
        let deadline = Date(timeIntervalSinceNow: seconds)
        while Date() < deadline {
            if try condition() { return true }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return try condition()
    }
}
