import DRODSCore
import Foundation
import XCTest

final class WorkloadAndBindingAPITests: APITestCase {
    func testSubmitWorkloadAsYAMLThenDelete() throws {
        let name = unique("webapp")
        let yaml = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: \(name)
              namespace: production
              labels: {app: webapp}
            spec:
              replicas: 3
              template:
                spec:
                  containers:
                    - name: web
                      image: nginx:1.27
                      resources:
                        requests: {cpu: 500m, memory: 256Mi}
            """
        let created = try plane.call("POST", "/api/v1/workloads", token: operatorToken, body: yaml,
                                     contentType: "application/yaml")
        XCTAssertEqual(created.status, 201, "\(created.json)")
        let location = "/api/v1/workloads/production/deployment/\(name)"
        XCTAssertEqual(created.headers["location"], location)
        XCTAssertEqual(try plane.call("GET", location, token: viewer).status, 200)

        let duplicate = try plane.call("POST", "/api/v1/workloads", token: operatorToken, body: yaml,
                                       contentType: "application/yaml")
        XCTAssertEqual(duplicate.json["code"]?.stringValue, "WORKLOAD_ALREADY_EXISTS")

        XCTAssertEqual(try plane.call("DELETE", location, token: operatorToken).status, 200)
        XCTAssertEqual(try plane.call("GET", location, token: viewer).json["code"]?.stringValue, "WORKLOAD_NOT_FOUND")
    }

    func testWorkloadOfUnsupportedKindIsRejected() throws {
        let body = #"{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": {}}"#
        let response = try plane.call("POST", "/api/v1/workloads", token: operatorToken, body: body)
        XCTAssertEqual(response.status, 400)
        XCTAssertTrue(fieldErrors(response.json).contains { $0 == "kind" || $0 == "apiVersion" }, "\(response.json)")
    }

    func testBindingIsAcceptedWithStatusURL() throws {
        // Aimed at a cluster that does not exist, so it is never placed while this test runs.
        let body = #"{"requirements": {"cpu": "2", "memory": "4Gi"}, "replicas": 3, "priority": 5, "placement": {"targetClusters": ["nowhere"]}}"#
        let accepted = try plane.call("POST", "/api/v1/bindings", token: operatorToken, body: body)
        XCTAssertEqual(accepted.status, 202, "\(accepted.json)")
        let bindingID = try XCTUnwrap(accepted.json["bindingId"]?.stringValue)
        let statusURL = "/api/v1/bindings/\(bindingID)/status"
        XCTAssertEqual(accepted.json["statusUrl"]?.stringValue, statusURL)
        XCTAssertEqual(accepted.headers["location"], statusURL)

        // The POST does not wait for the read model; the list waits for it instead.
        let list = try plane.call("GET", "/api/v1/bindings", token: viewer)
        XCTAssertEqual(list.status, 200, "\(list.json)")
        guard case .array(let items) = list.json["items"] ?? .null else { return XCTFail("no items: \(list.json)") }
        XCTAssertTrue(items.contains { $0["bindingId"]?.stringValue == bindingID }, "\(list.json)")

        let status = try plane.call("GET", statusURL, token: viewer)
        XCTAssertEqual(status.status, 200, "\(status.json)")
        XCTAssertTrue(["Pending", "Unschedulable"].contains(status.json["phase"]?.stringValue ?? ""), "\(status.json)")
        XCTAssertEqual(status.json["request"]?["replicas"]?.doubleValue, 3)

        let missing = try plane.call("GET", "/api/v1/bindings/no-such-binding/status", token: viewer)
        XCTAssertEqual(missing.status, 404)
        XCTAssertEqual(missing.json["code"]?.stringValue, "BINDING_NOT_FOUND")

        let invalid = try plane.call("POST", "/api/v1/bindings", token: operatorToken, body: #"{"replicas": 0}"#)
        XCTAssertEqual(invalid.status, 400)
        XCTAssertEqual(invalid.json["code"]?.stringValue, "VALIDATION_FAILED")
    }

    func testScheduleHistoryPagesWithCursor() throws {
        for _ in 0..<3 {
            let body = #"{"requirements": {"cpu": "1", "memory": "1Gi"}, "replicas": 1}"#
            XCTAssertEqual(try plane.call("POST", "/api/v1/bindings", token: operatorToken, body: body).status, 202)
        }
        var seen: [Double] = []
        var cursor: String?
        repeat {
            let path = "/api/v1/history/schedules?maxEntries=2" + (cursor.map { "&cursor=\($0)" } ?? "")
            let page = try plane.call("GET", path, token: viewer)
            XCTAssertEqual(page.status, 200, "\(page.json)")
            guard case .array(let entries) = page.json["entries"] ?? .null else { return XCTFail("\(page.json)") }
            XCTAssertLessThanOrEqual(entries.count, 2)
            seen += entries.compactMap { $0["seq"]?.doubleValue }
            cursor = page.json["nextCursor"]?.stringValue
        } while cursor != nil
        XCTAssertGreaterThanOrEqual(seen.count, 3)
        XCTAssertEqual(seen, seen.sorted(), "pages continue in order")
        XCTAssertEqual(Set(seen).count, seen.count, "no entry twice")

        let future = try plane.call("GET", "/api/v1/history/schedules?startTime=2999-01-01T00:00:00Z", token: viewer)
        XCTAssertEqual(future.json["count"]?.doubleValue, 0)
        for query in ["startTime=yesterday", "maxEntries=0", "maxEntries=100000", "cursor=%21%21", "bogus=1",
                      "startTime=2025-01-02T00:00:00Z&endTime=2025-01-01T00:00:00Z"] {
            let response = try plane.call("GET", "/api/v1/history/schedules?\(query)", token: viewer)
            XCTAssertEqual(response.status, 400, query)
            XCTAssertEqual(response.json["code"]?.stringValue, "INVALID_QUERY", query)
        }
    }
}

final class WorkloadSelectionAPITests: APITestCase {
    /// A workload that a propagation policy selects becomes a scheduling task without any
    /// further request; one that no policy selects does not.
    func testSelectedWorkloadBecomesPendingBinding() throws {
        let namespace = unique("team")
        let policy = #"{"name": "\#(unique("pp"))", "resourceType": "Deployment", "targetClusters": [], "namespace": "\#(namespace)", "priority": 3}"#
        XCTAssertEqual(try plane.call("POST", "/api/v1/propagationpolicies", token: operatorToken, body: policy).status, 201)

        func deployment(_ name: String, namespace: String) -> String {
            #"{"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "\#(name)", "namespace": "\#(namespace)"}, "spec": {"replicas": 2, "template": {"spec": {"containers": [{"name": "c", "image": "busybox", "resources": {"requests": {"cpu": "250m", "memory": "64Mi"}}}]}}}}"#
        }
        XCTAssertEqual(try plane.call("POST", "/api/v1/workloads", token: operatorToken,
                                      body: deployment("selected", namespace: namespace)).status, 201)
        let other = unique("elsewhere")
        XCTAssertEqual(try plane.call("POST", "/api/v1/workloads", token: operatorToken,
                                      body: deployment("ignored", namespace: other)).status, 201)

        let statusPath = "/api/v1/bindings/wl.deployment.\(namespace).selected/status"
        let pending = try eventually { try plane.call("GET", statusPath, token: viewer).status == 200 }
        XCTAssertTrue(pending, "no binding for the selected workload")
        let status = try plane.call("GET", statusPath, token: viewer)
        XCTAssertNotNil(status.json["phase"]?.stringValue)
        XCTAssertEqual(status.json["request"]?["priority"]?.doubleValue, 3)
        XCTAssertEqual(try plane.call("GET", "/api/v1/bindings/wl.deployment.\(other).ignored/status", token: viewer).status, 404)
    }
}
