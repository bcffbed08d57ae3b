import DRODSCore
import DRODSEventStore
import DRODSTestSupport
import Foundation
import XCTest

final class LeaderElectionTests: XCTestCase {
    func testOneLeaderAtATimeAndStandbyTakesOver() throws {
        let url = try TestPostgres.freshDatabase()
        let first = LeaderElection(url: url, name: "relay", interval: 0.1, logger: TestPostgres.quietLogger)
        let second = LeaderElection(url: url, name: "relay", interval: 0.1, logger: TestPostgres.quietLogger)
        let stopFirst = StopSignal()
        let stopSecond = StopSignal()
        let leaders = LeaderCount()

        Thread { first.run(stop: stopFirst) { term in leaders.lead("first", until: term) } }.start()
        XCTAssertTrue(waitUntil { first.isLeader })
        Thread { second.run(stop: stopSecond) { term in leaders.lead("second", until: term) } }.start()

        Thread.sleep(forTimeInterval: 0.5)
        XCTAssertTrue(first.isLeader)
        XCTAssertFalse(second.isLeader, "the standby waits while the lock is held")

        stopFirst.stop()
        XCTAssertTrue(waitUntil { second.isLeader }, "the standby takes over")
        stopSecond.stop()
        XCTAssertTrue(waitUntil { !second.isLeader })
        XCTAssertEqual(leaders.maximumConcurrent, 1)
        XCTAssertEqual(leaders.terms, ["first", "second"])
    }

    func testLeaderWhoseConnectionDiesStepsDown() throws {
        let url = try TestPostgres.freshDatabase()
        let election = LeaderElection(url: url, name: "scheduler", interval: 0.1, logger: TestPostgres.quietLogger)
        let stop = StopSignal()
        let leaders = LeaderCount()
        Thread { election.run(stop: stop) { term in leaders.lead("only", until: term) } }.start()
        XCTAssertTrue(waitUntil { election.isLeader })

        let admin = try PQConnection(url: url)
        defer { admin.close() }
        try admin.query("""
            SELECT pg_terminate_backend(pid) FROM pg_locks
            WHERE locktype = 'advisory' AND pid <> pg_backend_pid()
            """)
        XCTAssertTrue(waitUntil { leaders.terms.count >= 2 }, "re-elected after losing the lock")
        stop.stop()
        XCTAssertEqual(leaders.maximumConcurrent, 1)
    }
}

func waitUntil(seconds: Double = 10, _ condition: () -> Bool) -> Bool {
    let deadline = Date(timeIntervalSinceNow: seconds)
    while Date() < deadline {
        if condition() { return true }
        Thread.sleep(forTimeInterval: 0.02)
    }
    return condition()
}

final class LeaderCount: @unchecked Sendable {
    private let lock = NSLock()
    private var current = 0
    private(set) var maximumConcurrent = 0
    private(set) var terms: [String] = []

    func lead(_ name: String, until term: StopSignal) {
        lock.withLock {
            current += 1
            maximumConcurrent = max(maximumConcurrent, current)
            terms.append(name)
        }
        term.wait()
        lock.withLock { current -= 1 }
    }
}
