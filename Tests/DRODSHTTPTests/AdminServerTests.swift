import DRODSCore
import DRODSHTTP
import Foundation
import XCTest

/// A readiness flag that a test flips while the admin server reads it.
private final class ReadinessState: @unchecked Sendable {
    private let lock = NSLock()
    private var kafkaReady = true

    func set(kafkaReady: Bool) { lock.withLock { self.kafkaReady = kafkaReady } }

    func checks() -> [String: ReadinessCheck] {
        let ready = lock.withLock { kafkaReady }
        return ["eventstore": .ready,
                "kafka": ready ? .ready : .notReady("broker 127.0.0.1:9092 unreachable")]
    }
}

final class AdminServerTests: XCTestCase {
    private var admin: AdminServer!
    private let state = ReadinessState()
    private let metrics = MetricsRegistry()
    private let client = HTTPClient()

    override func setUpWithError() throws {
        let state = self.state
        admin = try AdminServer(port: 0, host: "127.0.0.1", metrics: metrics,
                                logger: Logger(service: "admin-test", sink: MemorySink())) {
            state.checks()
        }
    }

    override func tearDown() {
        admin.stop()
    }

    private func get(_ path: String) throws -> (status: Int, headers: [String: String], body: Data) {
        try client.request(url: "http://127.0.0.1:\(admin.port)\(path)")
    }

    func testHealthzReturnsOK() throws {
        let response = try get("/healthz")
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(try JSONDecoder().decode([String: String].self, from: response.body),
                       ["status": "ok"])
    }

    func testReadyzWhenReady() throws {
        let response = try get("/readyz")
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(try JSONDecoder().decode([String: String].self, from: response.body),
                       ["status": "ready"])
    }

    func testReadyzWhenNotReady() throws {
        state.set(kafkaReady: false)

        let response = try get("/readyz")

        XCTAssertEqual(response.status, 503)
        let body = try JSONDecoder().decode(JSONValue.self, from: response.body)
        XCTAssertEqual(body["status"], .string("not ready"))
        XCTAssertEqual(body["checks"]?["kafka"]?["ready"], .bool(false))
        XCTAssertEqual(body["checks"]?["kafka"]?["message"],
                       .string("broker 127.0.0.1:9092 unreachable"))
        XCTAssertEqual(body["checks"]?["eventstore"]?["ready"], .bool(true))

        state.set(kafkaReady: true)
        XCTAssertEqual(try get("/readyz").status, 200)
    }

    func testMetricsInPrometheusFormat() throws {
        metrics.increment("drods_test_events_total", help: "Events seen by the test.",
                          labels: ["kind": "a"], by: 3)

        let response = try get("/metrics")

        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(response.headers["content-type"], "text/plain; version=0.0.4")
        let text = String(decoding: response.body, as: UTF8.self)
        XCTAssertTrue(text.contains("# TYPE drods_test_events_total counter"), text)
        XCTAssertTrue(text.contains("drods_test_events_total{kind=\"a\"} 3"), text)
    }

    func testAdminRequestsNotCounted() throws {
        _ = try get("/healthz")
        XCTAssertNil(metrics.value("drods_http_requests_total",
                                   labels: ["method": "GET", "status": "200"]))
    }
}
