@testable import DRODSGateway
import XCTest

final class RateLimiterTests: XCTestCase {
    func testBurstThenRateThenRefill() {
        let limiter = RateLimiter(ratePerSecond: 10, burst: 3)
        let start: UInt64 = 1_000_000_000
        for request in 1...3 {
            XCTAssertNil(limiter.acquire("alice", now: start), "request \(request) is within the burst")
        }
        let wait = limiter.acquire("alice", now: start)
        XCTAssertNotNil(wait, "the fourth request at once is over the burst")
        XCTAssertEqual(wait ?? 0, 0.1, accuracy: 1e-9, "one token refills in 1/rate seconds")

        XCTAssertNil(limiter.acquire("bob", now: start), "clients have buckets of their own")
        XCTAssertNil(limiter.acquire("alice", now: start + 100_000_000), "a token refilled after 100 ms")
        XCTAssertNotNil(limiter.acquire("alice", now: start + 100_000_000))
    }

    func testZeroRateTurnsLimitOff() {
        let limiter = RateLimiter(ratePerSecond: 0, burst: 1)
        for _ in 0..<1000 {
            XCTAssertNil(limiter.acquire("alice", now: 1))
        }
    }

    func testFullTableDropsIdleClients() {
        let limiter = RateLimiter(ratePerSecond: 1, burst: 1, maxClients: 10)
        for client in 0..<10 {
            XCTAssertNil(limiter.acquire("client-\(client)", now: UInt64(client)))
        }
        XCTAssertNil(limiter.acquire("newcomer", now: 100), "a new client gets a bucket when the table is full")
        XCTAssertNil(limiter.acquire("client-0", now: 101), "the idlest client was dropped, and starts over with a full bucket")
        XCTAssertNotNil(limiter.acquire("client-9", now: 102), "a recent client keeps its empty bucket")
    }
}
