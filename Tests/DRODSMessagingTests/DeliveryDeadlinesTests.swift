@testable import DRODSMessaging
import Foundation
import XCTest

final class DeliveryDeadlinesTests: XCTestCase {
    func testDeadlinesExpireInDeadlineOrder() {
        let deadlines = DeliveryDeadlines(name: "deadlines-test")
        defer { deadlines.stop() }
        let fired = Collected<String>()

        deadlines.schedule(after: 0.3) { fired.append("long-1") }
        deadlines.schedule(after: 0.1) { fired.append("short-1") }
        deadlines.schedule(after: 0.3) { fired.append("long-2") }
        deadlines.schedule(after: 0.1) { fired.append("short-2") }
        deadlines.schedule(after: 0) { fired.append("now") }

        XCTAssertTrue(waitUntil(timeout: 5) { fired.count == 5 }, "fired \(fired.all)")
        XCTAssertEqual(fired.all, ["now", "short-1", "short-2", "long-1", "long-2"])
    }

    func testDeadlineWaitsItsTime() {
        let deadlines = DeliveryDeadlines(name: "deadlines-test")
        defer { deadlines.stop() }
        let fired = Collected<Date>()
        let start = Date()

        deadlines.schedule(after: 0.2) { fired.append(Date()) }

        XCTAssertTrue(waitUntil(timeout: 5) { fired.count == 1 })
        let elapsed = fired.all[0].timeIntervalSince(start)
        XCTAssertGreaterThanOrEqual(elapsed, 0.19)
        XCTAssertLessThan(elapsed, 2)
    }

    func testStopDropsPendingDeadlines() {
        let deadlines = DeliveryDeadlines(name: "deadlines-test")
        let fired = Collected<String>()
        deadlines.schedule(after: 0.2) { fired.append("dropped") }

        deadlines.stop()
        deadlines.schedule(after: 0) { fired.append("after stop") }
        Thread.sleep(forTimeInterval: 0.4)

        XCTAssertEqual(fired.count, 0)
    }
}
