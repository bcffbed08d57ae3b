import DRODSCore
import Foundation
import XCTest

final class ClusterAPITests: APITestCase {
    func testRegisterReadPatchDeleteCluster() throws {
        let name = unique("east")
        let created = try plane.call("POST", "/api/v1/clusters", token: operatorToken, body: clusterBody(
            name, extra: #", "credentials": {"token": "super-secret-token-value"}"#))
        XCTAssertEqual(created.status, 201, "\(created.json)")
        XCTAssertEqual(created.headers["location"], "/api/v1/clusters/\(name)")
        XCTAssertEqual(created.json["name"]?.stringValue, name)
        XCTAssertEqual(created.json["hasCredentials"], .bool(true))
        XCTAssertEqual(created.json["status"]?["phase"]?.stringValue, "Pending")

        // Read your writes: the list right after the 201 already contains the cluster.
        let list = try plane.call("GET", "/api/v1/clusters", token: viewer)
        XCTAssertEqual(list.status, 200)
        guard case .array(let items) = list.json["items"] ?? .null else { return XCTFail("no items: \(list.json)") }
        XCTAssertTrue(items.contains { $0["name"]?.stringValue == name })

        let one = try plane.call("GET", "/api/v1/clusters/\(name)", token: viewer)
        XCTAssertEqual(one.status, 200)
        let text = String(decoding: try WireJSON.encode(one.json), as: UTF8.self)
        XCTAssertFalse(text.contains("super-secret-token-value"), "credentials must never be returned")
        XCTAssertFalse(text.contains("encryptedCredentials"))

        let patched = try plane.call("PATCH", "/api/v1/clusters/\(name)", token: operatorToken,
                                     body: #"{"labels": {"tier": "gold", "env": null}, "zone": "us-east-1a"}"#,
                                     contentType: "application/merge-patch+json")
        XCTAssertEqual(patched.status, 200, "\(patched.json)")
        XCTAssertEqual(patched.json["labels"], .object(["tier": .string("gold")]))
        XCTAssertEqual(patched.json["zone"]?.stringValue, "us-east-1a")
        XCTAssertEqual(try plane.call("GET", "/api/v1/clusters/\(name)", token: viewer).json["labels"],
                       .object(["tier": .string("gold")]))

        let deleted = try plane.call("DELETE", "/api/v1/clusters/\(name)", token: operatorToken)
        XCTAssertEqual(deleted.status, 200)
        let missing = try plane.call("GET", "/api/v1/clusters/\(name)", token: viewer)
        XCTAssertEqual(missing.status, 404)
        XCTAssertEqual(missing.json["code"]?.stringValue, "CLUSTER_NOT_FOUND")
        XCTAssertEqual(try plane.call("DELETE", "/api/v1/clusters/\(name)", token: operatorToken).status, 404)
    }

    func testRegisteringExistingNameIsConflict() throws {
        let name = unique("dup")
        XCTAssertEqual(try plane.call("POST", "/api/v1/clusters", token: admin, body: clusterBody(name)).status, 201)
        let again = try plane.call("POST", "/api/v1/clusters", token: admin, body: clusterBody(name))
        XCTAssertEqual(again.status, 409)
        XCTAssertEqual(again.json["code"]?.stringValue, "CLUSTER_ALREADY_EXISTS")
        XCTAssertEqual(again.json["details"]?["name"]?.stringValue, name)
    }

    func testConcurrentRegistrationsHaveOneWinner() throws {
        let name = unique("race")
        let statuses = StatusList()
        let plane = self.plane!
        let token = admin
        let body = clusterBody(name)
        DispatchQueue.concurrentPerform(iterations: 4) { _ in
            let status = (try? plane.call("POST", "/api/v1/clusters", token: token, body: body).status) ?? 0
            statuses.add(status)
        }
        XCTAssertEqual(statuses.values.sorted(), [201, 409, 409, 409])
    }

    func testInvalidRegistrationNamesTheField() throws {
        let cases: [(body: String, field: String)] = [
            (#"{"name": "Not_A_Label", "endpoint": "https://a.example"}"#, "name"),
            (#"{"name": "plain-http", "endpoint": "http://a.example"}"#, "endpoint"),
            (#"{"name": "no-endpoint"}"#, "endpoint"),
            (#"{"name": "typo", "endpoint": "https://a.example", "capabilites": ["gpu"]}"#, "capabilites"),
            (#"{"name": "bad-token", "endpoint": "https://a.example", "credentials": {"token": 7}}"#, "credentials.token"),
        ]
        for (body, field) in cases {
            let response = try plane.call("POST", "/api/v1/clusters", token: admin, body: body)
            XCTAssertEqual(response.status, 400, body)
            XCTAssertEqual(response.json["code"]?.stringValue, "VALIDATION_FAILED", body)
            XCTAssertTrue(fieldErrors(response.json).contains(field), "\(field) not named for \(body): \(response.json)")
        }
    }

    func testMalformedBodiesAreRejected() throws {
        let broken = try plane.call("POST", "/api/v1/clusters", token: admin, body: "{not json")
        XCTAssertEqual(broken.status, 400)
        XCTAssertEqual(broken.json["code"]?.stringValue, "INVALID_JSON")

        let wrongType = try plane.call("POST", "/api/v1/clusters", token: admin, body: "name=x", contentType: "text/plain")
        XCTAssertEqual(wrongType.status, 415)
        XCTAssertEqual(wrongType.json["code"]?.stringValue, "UNSUPPORTED_MEDIA_TYPE")

        let huge = String(repeating: "x", count: 2 << 20)
        let tooLarge = try plane.call("POST", "/api/v1/clusters", token: admin, body: "{\"name\": \"\(huge)\"}")
        XCTAssertEqual(tooLarge.status, 413)
        XCTAssertEqual(tooLarge.json["code"]?.stringValue, "PAYLOAD_TOO_LARGE")
    }

    func testPatchCannotRenameCluster() throws {
        let name = unique("fixed")
        XCTAssertEqual(try plane.call("POST", "/api/v1/clusters", token: admin, body: clusterBody(name)).status, 201)
        let rename = try plane.call("PATCH", "/api/v1/clusters/\(name)", token: admin, body: #"{"name": "other"}"#,
                                    contentType: "application/merge-patch+json")
        XCTAssertEqual(rename.status, 400)
        XCTAssertTrue(fieldErrors(rename.json).contains("name"))
        let absent = try plane.call("PATCH", "/api/v1/clusters/\(unique("absent"))", token: admin,
                                    body: #"{"zone": "a"}"#, contentType: "application/merge-patch+json")
        XCTAssertEqual(absent.status, 404)
    }
}

final class StatusList: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [Int] = []
    func add(_ status: Int) { lock.withLock { storage.append(status) } }
    var values: [Int] { lock.withLock { storage } }
}
