import DRODSCore
import DRODSHTTP
import Foundation
import XCTest

final class RouterTests: XCTestCase {
    private func makeRouter() -> Router {
        var router = Router()
        router.get("/api/v1/clusters") { _, _ in HTTPResponse.text(200, "list") }
        router.post("/api/v1/clusters") { _, _ in HTTPResponse.text(201, "created") }
        router.get("/api/v1/clusters/{name}") { _, parameters in
            HTTPResponse.text(200, "cluster \(parameters["name"] ?? "?")")
        }
        router.get("/api/v1/clusters/summary") { _, _ in HTTPResponse.text(200, "summary") }
        router.delete("/api/v1/clusters/{name}/labels/{key}") { _, parameters in
            HTTPResponse.text(200, "\(parameters["name"] ?? "?") \(parameters["key"] ?? "?")")
        }
        return router
    }

    func testRoutesOverServer() throws {
        let router = makeRouter()
        let harness = try ServerHarness { request in try router.handle(request) }
        defer { harness.stop() }

        let cases: [(method: String, path: String, status: Int, body: String)] = [
            ("GET", "/api/v1/clusters", 200, "list"),
            ("POST", "/api/v1/clusters", 201, "created"),
            ("GET", "/api/v1/clusters/gcp-prod", 200, "cluster gcp-prod"),
            ("GET", "/api/v1/clusters/summary", 200, "summary"),
            ("DELETE", "/api/v1/clusters/aws-1/labels/zone", 200, "aws-1 zone"),
            ("GET", "/api/v1/clusters/a%2Fb", 200, "cluster a/b"),
        ]
        for item in cases {
            let response = try harness.client.request(
                method: item.method, url: harness.url(item.path),
                body: item.method == "POST" ? Data("{}".utf8) : nil)
            XCTAssertEqual(response.status, item.status, "\(item.method) \(item.path)")
            XCTAssertEqual(String(decoding: response.body, as: UTF8.self), item.body,
                           "\(item.method) \(item.path)")
        }
    }

    func testUnknownPathGets404() throws {
        let router = makeRouter()
        let harness = try ServerHarness { request in try router.handle(request) }
        defer { harness.stop() }

        let response = try harness.client.request(url: harness.url("/api/v2/nothing"))

        XCTAssertEqual(response.status, 404)
        let error = try decodeError(response.body)
        XCTAssertEqual(error.code, "NOT_FOUND")
        XCTAssertEqual(error.details["path"], .string("/api/v2/nothing"))
    }

    func testWrongMethodGets405WithAllow() throws {
        let router = makeRouter()
        let harness = try ServerHarness { request in try router.handle(request) }
        defer { harness.stop() }

        let response = try harness.client.request(method: "PUT", url: harness.url("/api/v1/clusters"),
                                                  body: Data("{}".utf8))

        XCTAssertEqual(response.status, 405)
        XCTAssertEqual(response.headers["allow"], "GET, HEAD, POST")
        let error = try decodeError(response.body)
        XCTAssertEqual(error.code, "METHOD_NOT_ALLOWED")
        XCTAssertEqual(error.details["allowed"], .array([.string("GET"), .string("HEAD"),
                                                         .string("POST")]))
    }

    func testHeadUsesGetRoute() throws {
        let router = makeRouter()
        let response = try router.handle(HTTPRequest(method: "HEAD", path: "/api/v1/clusters"))
        XCTAssertEqual(response.status, 200)
    }

    func testTrailingSlashMatches() throws {
        let router = makeRouter()
        let response = try router.handle(HTTPRequest(method: "GET", path: "/api/v1/clusters/"))
        XCTAssertEqual(String(decoding: response.body, as: UTF8.self), "list")
    }

    func testRegisteredRoutesListed() {
        let routes = makeRouter().registeredRoutes.map { "\($0.method) \($0.pattern)" }
        XCTAssertEqual(routes, [
            "GET /api/v1/clusters",
            "POST /api/v1/clusters",
            "GET /api/v1/clusters/{name}",
            "GET /api/v1/clusters/summary",
            "DELETE /api/v1/clusters/{name}/labels/{key}",
        ])
    }
}
