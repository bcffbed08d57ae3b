import DRODSCore
import DRODSHTTP
import Foundation
import XCTest

/// The fields of a request that the echo handler returns as JSON.
private struct Echo: Codable {
    var method: String
    var path: String
    var query: [String: String]
    var custom: String?
    var requestID: String
    var remoteAddress: String
    var bodyBase64: String
}

private let echoHandler: HTTPServer.Handler = { request in
    HTTPResponse.json(200, Echo(method: request.method, path: request.path, query: request.query,
                                custom: request.headers["x-custom"],
                                requestID: request.requestID,
                                remoteAddress: request.remoteAddress,
                                bodyBase64: request.body.base64EncodedString()))
}

private struct HandlerFailure: Error, CustomStringConvertible {
    var description: String { "database password rejected" }
}

final class HTTPServerTests: XCTestCase {
    func testGetRoundTripWithQueryAndHeaders() throws {
        let harness = try ServerHarness(handler: echoHandler)
        defer { harness.stop() }

        let response = try harness.client.request(
            url: harness.url("/items/a%20b?name=a%20b&flag&n=1&plus=x+y&sign=%2B1"),
            headers: ["X-Custom": "value-1", "X-Request-ID": "req-42"])

        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(response.headers["x-request-id"], "req-42")
        XCTAssertEqual(response.headers["content-type"], "application/json")
        let echo = try JSONDecoder().decode(Echo.self, from: response.body)
        XCTAssertEqual(echo.method, "GET")
        XCTAssertEqual(echo.path, "/items/a b")
        XCTAssertEqual(echo.query, ["name": "a b", "flag": "", "n": "1", "plus": "x y", "sign": "+1"])
        XCTAssertEqual(echo.custom, "value-1")
        XCTAssertEqual(echo.requestID, "req-42")
        XCTAssertTrue(echo.remoteAddress.hasPrefix("127.0.0.1:"), echo.remoteAddress)
        XCTAssertEqual(echo.bodyBase64, "")
    }

    func testPostRoundTripWithBody() throws {
        let harness = try ServerHarness(handler: echoHandler)
        defer { harness.stop() }
        let body = Data((0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 31) })

        let response = try harness.client.request(
            method: "POST", url: harness.url("/upload"),
            headers: ["Content-Type": "application/octet-stream"], body: body)

        XCTAssertEqual(response.status, 200)
        let echo = try JSONDecoder().decode(Echo.self, from: response.body)
        XCTAssertEqual(echo.method, "POST")
        XCTAssertEqual(Data(base64Encoded: echo.bodyBase64), body)
    }

    func testInvalidRequestIDIsReplaced() throws {
        let harness = try ServerHarness(handler: echoHandler)
        defer { harness.stop() }
        let tooLong = String(repeating: "a", count: 65)

        for supplied in ["has space", "semi;colon", tooLong] {
            let response = try harness.client.request(url: harness.url("/"),
                                                      headers: ["X-Request-ID": supplied])
            let echo = try JSONDecoder().decode(Echo.self, from: response.body)
            XCTAssertNotEqual(echo.requestID, supplied)
            XCTAssertEqual(echo.requestID.count, 36, "expected a generated UUID")
            XCTAssertEqual(response.headers["x-request-id"], echo.requestID)
        }
    }

    func testBodyOverLimitGets413AndServerKeepsServing() throws {
        let harness = try ServerHarness(maxBodyBytes: 1024, handler: echoHandler)
        defer { harness.stop() }

        let tooLarge = try harness.client.request(method: "POST", url: harness.url("/upload"),
                                                  body: Data(count: 4096))
        XCTAssertEqual(tooLarge.status, 413)
        let error = try decodeError(tooLarge.body)
        XCTAssertEqual(error.code, "PAYLOAD_TOO_LARGE")
        XCTAssertEqual(error.details["maxBytes"], .number(1024))

        let atLimit = try harness.client.request(method: "POST", url: harness.url("/upload"),
                                                 body: Data(count: 1024))
        XCTAssertEqual(atLimit.status, 200)
        let after = try harness.client.request(url: harness.url("/after"))
        XCTAssertEqual(after.status, 200)
    }

    func testChunkedBodyOverLimitGets413() throws {
        let curl = "/usr/bin/curl"
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: curl), "needs curl")
        let harness = try ServerHarness(maxBodyBytes: 1024, handler: echoHandler)
        defer { harness.stop() }
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("drods-http-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("body.bin")
        try Data(count: 8192).write(to: file)

        // Chunked encoding sends no Content-Length, so the limit applies while reading.
        let result = try runTool(curl, [
            "-s", "-o", "/dev/null", "-w", "%{http_code}", "-H", "Transfer-Encoding: chunked",
            "--data-binary", "@\(file.path)", harness.url("/upload"),
        ])

        XCTAssertEqual(result.status, 0)
        XCTAssertEqual(result.output, "413")
        XCTAssertEqual(try harness.client.request(url: harness.url("/after")).status, 200)
    }

    func testThrowingHandlerGets500WithoutDetail() throws {
        let harness = try ServerHarness { _ in throw HandlerFailure() }
        defer { harness.stop() }

        let response = try harness.client.request(url: harness.url("/fail"),
                                                  headers: ["X-Request-ID": "fail-1"])

        XCTAssertEqual(response.status, 500)
        let error = try decodeError(response.body)
        XCTAssertEqual(error.code, "INTERNAL_ERROR")
        XCTAssertFalse(error.message.contains("password"), error.message)
        XCTAssertTrue(error.message.contains("fail-1"), error.message)
        let logged = harness.sink.lines.filter { $0.contains("\"level\":\"error\"") }
        XCTAssertEqual(logged.count, 1)
        XCTAssertTrue(logged.first?.contains("database password rejected") ?? false)
        XCTAssertTrue(logged.first?.contains("fail-1") ?? false)
    }

    func testInvalidStatusGets500() throws {
        let harness = try ServerHarness { _ in HTTPResponse(status: 1000) }
        defer { harness.stop() }

        let response = try harness.client.request(url: harness.url("/"))

        XCTAssertEqual(response.status, 500)
        XCTAssertEqual(try decodeError(response.body).code, "INTERNAL_ERROR")
    }

    func testRequestsAreLoggedAndCounted() throws {
        let harness = try ServerHarness(handler: echoHandler)
        defer { harness.stop() }

        for _ in 0..<3 {
            _ = try harness.client.request(url: harness.url("/count"),
                                           headers: ["X-Request-ID": "count-1"])
        }
        _ = try harness.client.request(method: "POST", url: harness.url("/count"), body: Data())

        XCTAssertEqual(harness.metrics.value("drods_http_requests_total",
                                             labels: ["method": "GET", "status": "200"]), 3)
        XCTAssertEqual(harness.metrics.value("drods_http_requests_total",
                                             labels: ["method": "POST", "status": "200"]), 1)
        let rendered = harness.metrics.render()
        XCTAssertTrue(rendered.contains("drods_http_request_duration_seconds_count{method=\"GET\"} 3"),
                      rendered)
        let served = harness.sink.lines.filter { $0.contains("request served") }
        XCTAssertEqual(served.count, 4)
        let first = served.first ?? ""
        for fragment in ["\"http.method\":\"GET\"", "\"http.path\":\"/count\"",
                         "\"http.status\":\"200\"", "\"request.id\":\"count-1\"",
                         "\"duration.ms\":"] {
            XCTAssertTrue(first.contains(fragment), "\(fragment) missing in \(first)")
        }
    }

    func testConcurrentRequestsAllAnswered() throws {
        let harness = try ServerHarness(threads: 4) { request in
            HTTPResponse.text(200, request.query["i"] ?? "")
        }
        defer { harness.stop() }
        let failures = Counter()

        DispatchQueue.concurrentPerform(iterations: 8) { thread in
            for index in 0..<50 {
                let tag = "\(thread)-\(index)"
                let response = try? harness.client.request(url: harness.url("/load?i=\(tag)"))
                if response?.status != 200 || response.map({ String(decoding: $0.body, as: UTF8.self) }) != tag {
                    failures.increment()
                }
            }
        }

        XCTAssertEqual(failures.value, 0)
        XCTAssertEqual(harness.metrics.value("drods_http_requests_total",
                                             labels: ["method": "GET", "status": "200"]), 400)
    }

    func testStopClosesPort() throws {
        let harness = try ServerHarness(handler: echoHandler)
        XCTAssertEqual(try harness.client.request(url: harness.url("/")).status, 200)

        harness.stop()
        harness.stop()

        XCTAssertThrowsError(try HTTPClient().request(url: harness.url("/"), timeout: 2)) { error in
            XCTAssertEqual((error as? HTTPClientError)?.code, .transport, "\(error)")
        }
    }

    func testStopWaitsForRequestInProgress() throws {
        let started = DispatchSemaphore(value: 0)
        let harness = try ServerHarness { _ in
            started.signal()
            Thread.sleep(forTimeInterval: 0.5)
            return HTTPResponse.text(200, "slow")
        }
        let status = Counter()
        let finished = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            if let response = try? harness.client.request(url: harness.url("/slow")) {
                status.add(response.status)
            }
            finished.signal()
        }
        XCTAssertEqual(started.wait(timeout: .now() + 5), .success)

        harness.stop()

        XCTAssertEqual(finished.wait(timeout: .now() + 5), .success)
        XCTAssertEqual(status.value, 200)
    }

    func testInvalidConfigurationIsRejected() {
        let logger = Logger(service: "http-test", sink: MemorySink())
        let cases: [HTTPServerConfiguration] = [
            HTTPServerConfiguration(host: "localhost"),
            HTTPServerConfiguration(port: 70_000),
            HTTPServerConfiguration(threadPoolSize: 0),
            HTTPServerConfiguration(tlsCertificatePEM: "cert only"),
        ]
        for configuration in cases {
            XCTAssertThrowsError(try HTTPServer(configuration: configuration, logger: logger) { _ in
                HTTPResponse(status: 200)
            }) { error in
                XCTAssertEqual((error as? HTTPServerError)?.code, .invalidConfiguration)
            }
        }
    }

    func testPortInUseIsReported() throws {
        let harness = try ServerHarness(handler: echoHandler)
        defer { harness.stop() }
        let logger = Logger(service: "http-test", sink: MemorySink())

        XCTAssertThrowsError(try HTTPServer(
            configuration: HTTPServerConfiguration(port: harness.server.port), logger: logger
        ) { _ in HTTPResponse(status: 200) }) { error in
            XCTAssertEqual((error as? HTTPServerError)?.code, .startFailed)
        }
    }

    func testTLSServerAnswersHTTPS() throws {
        let openssl = "/usr/bin/openssl"
        let curl = "/usr/bin/curl"
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: openssl)
            && FileManager.default.isExecutableFile(atPath: curl), "needs openssl and curl")
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("drods-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let keyPath = directory.appendingPathComponent("key.pem").path
        let certificatePath = directory.appendingPathComponent("cert.pem").path
        let generated = try runTool(openssl, [
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", keyPath,
            "-out", certificatePath, "-days", "1", "-subj", "/CN=127.0.0.1",
        ])
        XCTAssertEqual(generated.status, 0)

        let configuration = HTTPServerConfiguration(
            tlsCertificatePEM: try String(contentsOfFile: certificatePath, encoding: .utf8),
            tlsPrivateKeyPEM: try String(contentsOfFile: keyPath, encoding: .utf8))
        let server = try HTTPServer(configuration: configuration,
                                    logger: Logger(service: "http-test", sink: MemorySink())) { _ in
            HTTPResponse.text(200, "secure")
        }
        defer { server.stop() }

        let result = try runTool(curl, ["-s", "-k", "https://127.0.0.1:\(server.port)/"])
        XCTAssertEqual(result.status, 0)
        XCTAssertEqual(result.output, "secure")
    }
}

/// A lock-protected integer shared between test threads.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var storage = 0

    func increment() { add(1) }

    func add(_ amount: Int) {
        lock.withLock { storage += amount }
    }

    var value: Int { lock.withLock { storage } }
}
