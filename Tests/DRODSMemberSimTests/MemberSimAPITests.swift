import DRODSCore
import DRODSHTTP
@testable import DRODSMemberSim
import Foundation
import XCTest

/// API tests through the real HTTP server, with the simulator running in this process.
final class MemberSimAPITests: XCTestCase {
    private var simulator: MemberSimulator!
    private let client = HTTPClient(defaultTimeout: 10)
    private let cluster = "use1-prod"

    override func setUpWithError() throws {
        let fleet = try FleetParser.load(path: FleetParserTests.exampleFleetPath)
        let configuration = MemberSimConfiguration(
            fleet: fleet, servesTLS: false, behavior: ClusterBehavior(podReadyDelaySeconds: 0),
            partitionHoldSeconds: 1, tickSeconds: 0.05)
        simulator = try MemberSimulator(configuration: configuration,
                                        logger: Logger(service: "membersim-test", sink: MemorySink()))
    }

    override func tearDown() {
        simulator?.stop()
        simulator = nil
    }

    // MARK: - Helpers

    private func call(_ method: String, _ path: String, body: JSONValue? = nil, token: String? = nil,
                      contentType: String = "application/json", timeout: Double? = nil)
        throws -> (status: Int, body: JSONValue) {
        var headers = ["Content-Type": contentType]
        if let token = token ?? simulator.token(forCluster: cluster) {
            headers["Authorization"] = "Bearer \(token)"
        }
        let response = try client.request(method: method, url: simulator.serverURL(forCluster: cluster) + path,
                                          headers: headers, body: try body.map { try WireJSON.encode($0) },
                                          timeout: timeout)
        let decoded = (try? WireJSON.decode(JSONValue.self, from: response.body)) ?? .null
        return (response.status, decoded)
    }

    private func controlCall(_ method: String, _ path: String, body: JSONValue? = nil, token: String? = nil)
        throws -> (status: Int, body: JSONValue) {
        let response = try client.request(
            method: method, url: simulator.controlURL + path,
            headers: ["Authorization": "Bearer \(token ?? simulator.adminToken)", "Content-Type": "application/json"],
            body: try body.map { try WireJSON.encode($0) })
        return (response.status, (try? WireJSON.decode(JSONValue.self, from: response.body)) ?? .null)
    }

    private func configMap(_ name: String, value: String, resourceVersion: String? = nil) -> JSONValue {
        var metadata: [String: JSONValue] = ["name": .string(name)]
        if let resourceVersion { metadata["resourceVersion"] = .string(resourceVersion) }
        return .object(["apiVersion": .string("v1"), "kind": .string("ConfigMap"), "metadata": .object(metadata),
                        "data": .object(["key": .string(value)])])
    }

    private func metadata(_ object: JSONValue, _ field: String) -> String? {
        object["metadata"]?[field]?.stringValue
    }

    // MARK: - Verbs

    func testConfigMapLifecycle() throws {
        let collection = "/api/v1/namespaces/default/configmaps"
        let created = try call("POST", collection, body: configMap("settings", value: "one"))
        XCTAssertEqual(created.status, 201)
        XCTAssertNotNil(metadata(created.body, "uid"))
        XCTAssertNotNil(metadata(created.body, "creationTimestamp"))
        let firstVersion = try XCTUnwrap(metadata(created.body, "resourceVersion"))

        let fetched = try call("GET", "\(collection)/settings")
        XCTAssertEqual(fetched.status, 200)
        XCTAssertEqual(fetched.body["data"]?["key"], .string("one"))

        let replaced = try call("PUT", "\(collection)/settings",
                                body: configMap("settings", value: "two", resourceVersion: firstVersion))
        XCTAssertEqual(replaced.status, 200)
        XCTAssertEqual(replaced.body["data"]?["key"], .string("two"))
        XCTAssertEqual(metadata(replaced.body, "uid"), metadata(created.body, "uid"))
        let secondVersion = try XCTUnwrap(metadata(replaced.body, "resourceVersion"))
        XCTAssertGreaterThan(Int(secondVersion) ?? 0, Int(firstVersion) ?? 0)

        let list = try call("GET", collection)
        XCTAssertEqual(list.status, 200)
        XCTAssertEqual(list.body["kind"], .string("ConfigMapList"))
        XCTAssertEqual(list.body["items"]?.arrayValue?.count, 1)
        XCTAssertNotNil(list.body["metadata"]?["resourceVersion"]?.stringValue)

        let deleted = try call("DELETE", "\(collection)/settings")
        XCTAssertEqual(deleted.status, 200)
        XCTAssertEqual(try call("GET", "\(collection)/settings").status, 404)
    }

    func testStaleResourceVersionConflicts() throws {
        let collection = "/api/v1/namespaces/default/configmaps"
        let created = try call("POST", collection, body: configMap("settings", value: "one"))
        let version = try XCTUnwrap(metadata(created.body, "resourceVersion"))
        XCTAssertEqual(try call("PUT", "\(collection)/settings",
                                body: configMap("settings", value: "two", resourceVersion: version)).status, 200)

        let stale = try call("PUT", "\(collection)/settings",
                             body: configMap("settings", value: "three", resourceVersion: version))
        XCTAssertEqual(stale.status, 409)
        XCTAssertEqual(stale.body["kind"], .string("Status"))
        XCTAssertEqual(stale.body["reason"], .string("Conflict"))
        XCTAssertEqual(stale.body["code"], .number(409))
    }

    func testCreateTwiceReportsAlreadyExists() throws {
        let collection = "/api/v1/namespaces/default/configmaps"
        XCTAssertEqual(try call("POST", collection, body: configMap("once", value: "a")).status, 201)
        let again = try call("POST", collection, body: configMap("once", value: "b"))
        XCTAssertEqual(again.status, 409)
        XCTAssertEqual(again.body["reason"], .string("AlreadyExists"))
    }

    func testMissingObjectReturnsStatus() throws {
        let missing = try call("GET", "/apis/apps/v1/namespaces/default/deployments/absent")
        XCTAssertEqual(missing.status, 404)
        XCTAssertEqual(missing.body["kind"], .string("Status"))
        XCTAssertEqual(missing.body["apiVersion"], .string("v1"))
        XCTAssertEqual(missing.body["status"], .string("Failure"))
        XCTAssertEqual(missing.body["reason"], .string("NotFound"))
        XCTAssertEqual(missing.body["code"], .number(404))
        XCTAssertEqual(missing.body["message"], .string("deployments.apps \"absent\" not found"))

        let unknownPath = try call("GET", "/apis/apps/v1/namespaces/default/cronjobs")
        XCTAssertEqual(unknownPath.status, 404)
        XCTAssertEqual(unknownPath.body["kind"], .string("Status"))
    }

    func testMissingTokenIsUnauthorized() throws {
        let anonymous = try client.request(url: simulator.serverURL(forCluster: cluster) + "/api/v1/nodes")
        XCTAssertEqual(anonymous.status, 401)
        let body = try WireJSON.decode(JSONValue.self, from: anonymous.body)
        XCTAssertEqual(body["kind"], .string("Status"))
        XCTAssertEqual(body["reason"], .string("Unauthorized"))

        let otherClusterToken = try XCTUnwrap(simulator.token(forCluster: "euw1-prod"))
        XCTAssertEqual(try call("GET", "/api/v1/nodes", token: otherClusterToken).status, 401)
    }

    func testNodesComeFromPools() throws {
        let nodes = try call("GET", "/api/v1/nodes")
        XCTAssertEqual(nodes.status, 200)
        XCTAssertEqual(nodes.body["kind"], .string("NodeList"))
        let items = nodes.body["items"]?.arrayValue ?? []
        XCTAssertEqual(items.count, 4)
        let gpuNode = try XCTUnwrap(items.first { metadata($0, "name") == "use1-prod-g5-2xlarge-0" })
        XCTAssertEqual(gpuNode["status"]?["allocatable"]?["nvidia.com/gpu"], .string("1"))
        XCTAssertEqual(gpuNode["status"]?["capacity"]?["memory"], .string("32Gi"))
        XCTAssertEqual(gpuNode["metadata"]?["labels"]?["nvidia.com/gpu.product"], .string("NVIDIA-A10G"))
        XCTAssertEqual(gpuNode["metadata"]?["labels"]?["topology.kubernetes.io/region"], .string("us-east-1"))
        XCTAssertEqual(try call("DELETE", "/api/v1/nodes/use1-prod-g5-2xlarge-0").status, 405)
    }

    func testDeploymentStatusAndPodsAcrossNamespaces() throws {
        let deployment: JSONValue = .object([
            "apiVersion": .string("apps/v1"), "kind": .string("Deployment"),
            "metadata": .object(["name": .string("web")]),
            "spec": .object([
                "replicas": .number(2),
                "selector": .object(["matchLabels": .object(["app": .string("web")])]),
                "template": .object([
                    "metadata": .object(["labels": .object(["app": .string("web")])]),
                    "spec": .object(["containers": .array([.object([
                        "name": .string("web"), "image": .string("nginx"),
                        "resources": .object(["requests": .object(["cpu": .string("500m")])]),
                    ])])]),
                ]),
            ]),
        ])
        XCTAssertEqual(try call("POST", "/apis/apps/v1/namespaces/default/deployments", body: deployment).status, 201)

        var ready: JSONValue?
        let deadline = Date().addingTimeInterval(5)
        while Date() < deadline {
            let current = try call("GET", "/apis/apps/v1/namespaces/default/deployments/web").body
            if current["status"]?["readyReplicas"] == .number(2) {
                ready = current
                break
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        let status = try XCTUnwrap(ready?["status"], "deployment did not become ready")
        XCTAssertEqual(status["replicas"], .number(2))
        XCTAssertEqual(status["availableReplicas"], .number(2))

        let pods = try call("GET", "/api/v1/pods?labelSelector=app%3Dweb")
        XCTAssertEqual(pods.body["kind"], .string("PodList"))
        XCTAssertEqual(pods.body["items"]?.arrayValue?.count, 2)

        let usage = try call("GET", "/simulator/usage")
        let requested = (usage.body["nodes"]?.arrayValue ?? []).compactMap { $0["requested"]?["cpu"]?.doubleValue }
        XCTAssertEqual(requested.reduce(0, +), 1.0, accuracy: 1e-9)
    }

    // MARK: - Faults

    func testFaultsSwitchAtRunTime() throws {
        let path = "/clusters/\(cluster)/fault"
        XCTAssertEqual(try controlCall("PUT", path, body: .object(["mode": .string("down")]), token: "wrong").status, 401)

        XCTAssertEqual(try controlCall("PUT", path, body: .object(["mode": .string("down")])).status, 200)
        let down = try call("GET", "/api/v1/nodes")
        XCTAssertEqual(down.status, 503)
        XCTAssertEqual(down.body["reason"], .string("ServiceUnavailable"))
        XCTAssertEqual(try call("GET", "/api/v1/nodes").status, 503)
        simulator.setFault(.none, cluster: "euw1-prod")
        XCTAssertEqual(try client.request(
            url: simulator.serverURL(forCluster: "euw1-prod") + "/api/v1/nodes",
            headers: ["Authorization": "Bearer \(simulator.token(forCluster: "euw1-prod")!)"]).status, 200,
            "a fault must not leak into other clusters")

        XCTAssertEqual(try controlCall("PUT", path, body: .object(["mode": .string("slow"), "latencyMs": .number(300)]))
            .status, 200)
        let started = Date()
        XCTAssertEqual(try call("GET", "/api/v1/nodes").status, 200)
        XCTAssertGreaterThanOrEqual(Date().timeIntervalSince(started), 0.3)

        XCTAssertEqual(try controlCall("PUT", path, body: .object(["mode": .string("partitioned")])).status, 200)
        // This test keeps partitioned requests for 1 s, after which the simulator returns 504.
        let heldSince = Date()
        XCTAssertEqual(try call("GET", "/api/v1/nodes", timeout: 5).status, 504)
        XCTAssertGreaterThanOrEqual(Date().timeIntervalSince(heldSince), 1.0)

        // Clearing the partition releases a request that is being held.
        let released = expectation(description: "held request answered")
        let releasedStatus = LockedStatus()
        let url = simulator.serverURL(forCluster: cluster) + "/api/v1/nodes"
        let token = simulator.token(forCluster: cluster) ?? ""
        let client = self.client
        DispatchQueue.global().async {
            releasedStatus.value = try? client.request(url: url, headers: ["Authorization": "Bearer \(token)"],
                                                       timeout: 5).status
            released.fulfill()
        }
        Thread.sleep(forTimeInterval: 0.3)
        XCTAssertEqual(try controlCall("PUT", path, body: .object(["mode": .string("none")])).status, 200)
        wait(for: [released], timeout: 5)
        XCTAssertEqual(releasedStatus.value, 200)
        XCTAssertEqual(try call("GET", "/api/v1/nodes").status, 200)
        XCTAssertEqual(try controlCall("GET", path).body["mode"], .string("none"))
    }

    func testInvalidFaultIsRejected() throws {
        let path = "/clusters/\(cluster)/fault"
        let response = try controlCall("PUT", path, body: .object(["mode": .string("slow")]))
        XCTAssertEqual(response.status, 400)
        XCTAssertEqual(response.body["code"], .string("INVALID_FAULT"))
        XCTAssertEqual(try controlCall("GET", "/clusters/nowhere/fault").status, 404)
    }
}

/// A status code written by one thread and read by another.
private final class LockedStatus: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Int?

    var value: Int? {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}
