import DRODSAuth
import DRODSCore
import Foundation
import XCTest

final class AuthenticationAPITests: APITestCase {
    func testRequestsWithoutValidTokenAreUnauthorized() throws {
        let now = Int64(Date().timeIntervalSince1970)
        let otherKey = TokenSigner(hs256Secret: "another-secret-of-at-least-thirty-two-bytes")
        let wrongAudience = TokenSigner(hs256Secret: TestControlPlaneSecret.value, audience: "someone-else")
        let wrongIssuer = TokenSigner(hs256Secret: TestControlPlaneSecret.value, issuer: "another-issuer")
        let expired = try TokenSigner(hs256Secret: TestControlPlaneSecret.value).sign(TokenClaims(
            sub: "late", iss: "drods", aud: ["drods-api"], exp: now - 3600, nbf: now - 7200, iat: now - 7200, role: .admin))
        let notYet = try TokenSigner(hs256Secret: TestControlPlaneSecret.value).sign(TokenClaims(
            sub: "early", iss: "drods", aud: ["drods-api"], exp: now + 7200, nbf: now + 3600, iat: now, role: .admin))
        let cases: [(token: String?, reason: String)] = [
            (nil, "missingToken"),
            ("not-a-jwt", "malformed"),
            (try otherKey.sign(role: .admin, subject: "mallory", lifetime: 60), "badSignature"),
            (expired, "expired"),
            (notYet, "notYetValid"),
            (try wrongAudience.sign(role: .admin, subject: "aud", lifetime: 60), "wrongAudience"),
            (try wrongIssuer.sign(role: .admin, subject: "iss", lifetime: 60), "wrongIssuer"),
        ]
        for (token, reason) in cases {
            let response = try plane.call("GET", "/api/v1/clusters", token: token)
            XCTAssertEqual(response.status, 401, reason)
            XCTAssertEqual(response.json["code"]?.stringValue, "UNAUTHORIZED", reason)
            XCTAssertEqual(response.json["details"]?["reason"]?.stringValue, reason)
            XCTAssertEqual(response.headers["www-authenticate"], "Bearer realm=\"drods\"")
        }
    }

    func testRolesAreEnforced() throws {
        let viewerWrite = try plane.call("POST", "/api/v1/clusters", token: viewer, body: clusterBody(unique("v")))
        XCTAssertEqual(viewerWrite.status, 403)
        XCTAssertEqual(viewerWrite.json["code"]?.stringValue, "FORBIDDEN")

        let agent = plane.token(.agent, subject: "agent-a", cluster: "cluster-a")
        XCTAssertEqual(try plane.call("GET", "/api/v1/clusters", token: agent).status, 403, "agents cannot read")
        XCTAssertEqual(try plane.call("GET", "/api/v1/audit", token: operatorToken).status, 403, "audit is for admins")
        XCTAssertEqual(try plane.call("GET", "/api/v1/audit", token: admin).status, 200)
    }

    func testUnknownPathIsNotFoundOnlyAfterAuthentication() throws {
        XCTAssertEqual(try plane.call("GET", "/api/v1/nothing", token: nil).status, 401)
        let found = try plane.call("GET", "/api/v1/nothing", token: viewer)
        XCTAssertEqual(found.status, 404)
        XCTAssertEqual(found.json["code"]?.stringValue, "NOT_FOUND")
    }

    func testAuditRecordsAllowedAndDeniedWrites() throws {
        let name = unique("audited")
        let ids = (allowed: unique("req-allowed"), forbidden: unique("req-forbidden"), anonymous: unique("req-anonymous"))
        XCTAssertEqual(try plane.call("POST", "/api/v1/clusters", token: admin, body: clusterBody(name),
                                      requestID: ids.allowed).status, 201)
        XCTAssertEqual(try plane.call("POST", "/api/v1/clusters", token: viewer, body: clusterBody(name),
                                      requestID: ids.forbidden).status, 403)
        XCTAssertEqual(try plane.call("DELETE", "/api/v1/clusters/\(name)", token: nil,
                                      requestID: ids.anonymous).status, 401)

        var records: [String: JSONValue] = [:]
        _ = try eventually {
            let page = try plane.call("GET", "/api/v1/audit?maxEntries=1000", token: admin)
            guard case .array(let entries) = page.json["entries"] ?? .null else { return false }
            for entry in entries {
                if let id = entry["requestId"]?.stringValue { records[id] = entry }
            }
            return records[ids.allowed] != nil && records[ids.forbidden] != nil && records[ids.anonymous] != nil
        }
        XCTAssertEqual(records[ids.allowed]?["outcome"]?.stringValue, "allowed")
        XCTAssertEqual(records[ids.allowed]?["actor"]?.stringValue, "alice")
        XCTAssertEqual(records[ids.allowed]?["action"]?.stringValue, "POST /api/v1/clusters")
        XCTAssertEqual(records[ids.forbidden]?["outcome"]?.stringValue, "denied")
        XCTAssertEqual(records[ids.forbidden]?["status"]?.doubleValue, 403)
        XCTAssertEqual(records[ids.anonymous]?["actor"]?.stringValue, "anonymous")
        XCTAssertEqual(records[ids.anonymous]?["status"]?.doubleValue, 401)
        XCTAssertEqual(records[ids.anonymous]?["resource"]?.stringValue, "/api/v1/clusters/\(name)")
    }
}

/// The HS256 key the test control plane verifies with.
enum TestControlPlaneSecret {
    static let value = "test-secret-of-at-least-thirty-two-bytes!"
}
