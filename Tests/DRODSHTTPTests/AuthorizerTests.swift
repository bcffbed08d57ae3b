import DRODSAuth
import XCTest

final class AuthorizerTests: XCTestCase {
    func testPermissionTable() {
        let authorizer = Authorizer()
        let actions: [Action] = [.read, .write, .admin, .reportMetrics(cluster: "gcp-prod"),
                                 .reportMetrics(cluster: "aws-east"), .pullWorks(cluster: "gcp-prod"),
                                 .pullWorks(cluster: "aws-east")]
        // Expected results in the order of `actions`.
        let table: [(role: Role, cluster: String?, expected: [Bool])] = [
            (.admin, nil, [true, true, true, true, true, true, true]),
            (.operator, nil, [true, true, false, false, false, true, true]),
            (.viewer, nil, [true, false, false, false, false, true, true]),
            (.agent, "gcp-prod", [false, false, false, true, false, true, false]),
            (.agent, nil, [false, false, false, false, false, false, false]),
            (.agent, "", [false, false, false, false, false, false, false]),
        ]
        for row in table {
            for (action, expected) in zip(actions, row.expected) {
                XCTAssertEqual(authorizer.permits(row.role, cluster: row.cluster, action: action),
                               expected, "\(row.role) cluster=\(row.cluster ?? "nil") \(action)")
            }
        }
    }

    func testPermitsFromClaims() {
        let claims = TokenClaims(sub: "agent-1", iss: "drods", aud: ["drods-api"], exp: 0,
                                 role: .agent, cluster: "edge-1")
        XCTAssertTrue(Authorizer().permits(claims, action: .reportMetrics(cluster: "edge-1")))
        XCTAssertFalse(Authorizer().permits(claims, action: .reportMetrics(cluster: "edge-2")))
        XCTAssertFalse(Authorizer().permits(claims, action: .read))
    }
}
