import DRODSCore
import DRODSHTTP
import Foundation
import XCTest

/// Responders collected by a handler until a test releases them.
private final class ResponderPool: @unchecked Sendable {
    private let condition = NSCondition()
    private var responders: [(HTTPResponder, String)] = []

    func add(_ responder: HTTPResponder, tag: String) {
        condition.lock()
        responders.append((responder, tag))
        condition.broadcast()
        condition.unlock()
    }

    /// Waits until `count` responders are waiting, then returns and forgets them; returns nil
    /// when fewer arrived within `seconds`.
    func take(_ count: Int, seconds: Double) -> [(HTTPResponder, String)]? {
        let deadline = Date(timeIntervalSinceNow: seconds)
        condition.lock()
        defer { condition.unlock() }
        while responders.count < count {
            if !condition.wait(until: deadline) { return nil }
        }
        defer { responders.removeAll() }
        return responders
    }
}

final class DeferredResponseTests: XCTestCase {
    /// With one worker, a request that waits for its response must not occupy that worker, so
    /// all twelve requests reach the handler before any gets its response.
    func testOneWorkerServesManyWaitingRequests() throws {
        let pool = ResponderPool()
        let harness = try ServerHarness(threads: 1) { request, responder in
            pool.add(responder, tag: request.query["i"] ?? "")
        }
        defer { harness.stop() }
        let count = 12
        let statuses = Counter()
        let mismatches = Counter()

        // One thread per client, because Dispatch starts blocking work items only gradually.
        let clients = DispatchGroup()
        for index in 0..<count {
            clients.enter()
            Thread.detachNewThread {
                defer { clients.leave() }
                let response = try? harness.client.request(url: harness.url("/wait?i=\(index)"))
                if response?.status == 200 { statuses.increment() }
                if response.map({ String(decoding: $0.body, as: UTF8.self) }) != "done \(index)" {
                    mismatches.increment()
                }
            }
        }
        let waiting = try XCTUnwrap(pool.take(count, seconds: 10), "the requests did not all reach the handler")
        Thread.detachNewThread {
            for (responder, tag) in waiting { responder.respond(HTTPResponse.text(200, "done \(tag)")) }
        }

        XCTAssertEqual(clients.wait(timeout: .now() + 10), .success)
        XCTAssertEqual(statuses.value, count)
        XCTAssertEqual(mismatches.value, 0)
        XCTAssertEqual(harness.metrics.value("drods_http_requests_total",
                                             labels: ["method": "GET", "status": "200"]), Double(count))
    }

    func testResponseDuringHandlerIsSent() throws {
        let harness = try ServerHarness { _, responder in
            responder.respond(HTTPResponse.text(201, "at once"))
        }
        defer { harness.stop() }

        let response = try harness.client.request(url: harness.url("/now"))

        XCTAssertEqual(response.status, 201)
        XCTAssertEqual(String(decoding: response.body, as: UTF8.self), "at once")
    }

    /// Another thread responds before the handler returns, the order that skips suspension.
    func testResponseFromOtherThreadBeforeReturnIsSent() throws {
        let harness = try ServerHarness { _, responder in
            let sent = DispatchSemaphore(value: 0)
            Thread.detachNewThread {
                responder.respond(HTTPResponse.text(200, "early"))
                sent.signal()
            }
            sent.wait()
        }
        defer { harness.stop() }

        let response = try harness.client.request(url: harness.url("/early"))

        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(String(decoding: response.body, as: UTF8.self), "early")
    }

    func testOnlyFirstResponseCounts() throws {
        let second = Counter()
        let harness = try ServerHarness { _, responder in
            DispatchQueue.global().asyncAfter(deadline: .now() + 0.05) {
                responder.respond(HTTPResponse.text(200, "first"))
                if responder.respond(HTTPResponse.text(500, "second")) { second.increment() }
            }
        }
        defer { harness.stop() }

        let response = try harness.client.request(url: harness.url("/twice"))

        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(String(decoding: response.body, as: UTF8.self), "first")
        XCTAssertEqual(second.value, 0)
    }

    func testThrowingDeferredHandlerGets500() throws {
        struct Failure: Error {}
        let harness = try ServerHarness { _, _ in throw Failure() }
        defer { harness.stop() }

        let response = try harness.client.request(url: harness.url("/fail"))

        XCTAssertEqual(response.status, 500)
        XCTAssertEqual(try decodeError(response.body).code, "INTERNAL_ERROR")
    }

    func testKeepAliveConnectionServesNextRequestAfterResume() throws {
        let harness = try ServerHarness(threads: 1) { request, responder in
            DispatchQueue.global().asyncAfter(deadline: .now() + 0.02) {
                responder.respond(HTTPResponse.text(200, request.path))
            }
        }
        defer { harness.stop() }

        for index in 0..<20 {
            let response = try harness.client.request(url: harness.url("/seq/\(index)"))
            XCTAssertEqual(response.status, 200)
            XCTAssertEqual(String(decoding: response.body, as: UTF8.self), "/seq/\(index)")
        }
    }

    /// A handler that never responds must not keep `stop()` from returning. The waiting
    /// client gets a 503, or a transport error when the daemon closed the connection first.
    func testStopAnswersRequestThatNeverResponds() throws {
        let pool = ResponderPool()
        let harness = try ServerHarness(threads: 1, shutdownGraceSeconds: 0.2) { _, responder in
            pool.add(responder, tag: "")
        }
        let outcome = Counter()
        let finished = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            do {
                let response = try harness.client.request(url: harness.url("/never"), timeout: 10)
                outcome.add(response.status)
            } catch {
                outcome.add(-1)
            }
            finished.signal()
        }
        let waiting = try XCTUnwrap(pool.take(1, seconds: 10))
        let started = Date()

        harness.stop()

        XCTAssertLessThan(Date().timeIntervalSince(started), 5)
        XCTAssertEqual(finished.wait(timeout: .now() + 10), .success)
        XCTAssertTrue([503, -1].contains(outcome.value), "outcome \(outcome.value)")
        // A response after the stop is dropped without touching the stopped daemon.
        XCTAssertTrue(waiting[0].0.respond(HTTPResponse.text(200, "late")))
    }

    func testDeferredRouteThroughRouter() throws {
        var router = Router()
        router.add("PUT", "/api/v1/reports/{name}", responding: { _, parameters, responder in
            let name = parameters["name"] ?? "?"
            DispatchQueue.global().asyncAfter(deadline: .now() + 0.02) {
                responder.respond(HTTPResponse.text(202, "stored \(name)"))
            }
        })
        let request = HTTPRequest(method: "PUT", path: "/api/v1/reports/east")

        let blocking = try router.handle(request)
        XCTAssertEqual(blocking.status, 202)
        XCTAssertEqual(String(decoding: blocking.body, as: UTF8.self), "stored east")

        let routes = router
        let harness = try ServerHarness { request, responder in try routes.handle(request, responder: responder) }
        defer { harness.stop() }
        let response = try harness.client.request(method: "PUT", url: harness.url("/api/v1/reports/west"),
                                                  body: Data("{}".utf8))
        XCTAssertEqual(response.status, 202)
        XCTAssertEqual(String(decoding: response.body, as: UTF8.self), "stored west")
        let missing = try harness.client.request(url: harness.url("/api/v1/other"))
        XCTAssertEqual(missing.status, 404)
    }
}
