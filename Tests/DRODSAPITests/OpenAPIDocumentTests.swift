import DRODSCore
import DRODSGateway
import DRODSMessaging
import Foundation
import XCTest

final class OpenAPIDocumentTests: APITestCase {
    /// The served document and the router must describe the same operations: a route
    /// without documentation, or documentation without a route, fails.
    func testDocumentMatchesRouterBothWays() throws {
        let served = try plane.call("GET", "/api/v1/openapi.json", token: viewer)
        XCTAssertEqual(served.status, 200)
        XCTAssertEqual(served.json["openapi"]?.stringValue, "3.0.3")
        guard case .object(let paths) = served.json["paths"] ?? .null else { return XCTFail("no paths") }
        var documented: Set<String> = []
        for (path, item) in paths {
            guard case .object(let operations) = item else { continue }
            for method in operations.keys { documented.insert("\(method.uppercased()) \(path)") }
        }

        let routed = Set(try GatewayRouteTable.routes(
            kafka: KafkaConfiguration(brokers: plane.kafkaBrokers, clientID: "openapi-test"),
            postgresURL: plane.postgresURL, logger: Logger(service: "test", level: .warning)))
        XCTAssertEqual(documented.subtracting(routed), [], "documented but not routed")
        XCTAssertEqual(routed.subtracting(documented), [], "routed but not documented")
        XCTAssertGreaterThan(routed.count, 30)

        let copy = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Docs/openapi.json")
        let stored = try WireJSON.decode(JSONValue.self, from: Data(contentsOf: copy))
        XCTAssertEqual(stored, served.json, "Docs/openapi.json is out of date; regenerate it with drods openapi")
    }
}
