import DRODSCore
import DRODSEventStore
import DRODSTestSupport
import Foundation
import XCTest

final class ProjectionProgressTests: XCTestCase {
    private static func saveCheckpoint(_ name: String, _ position: LogPosition, pool: ConnectionPool,
                                notify: Bool) throws {
        try pool.withConnection { connection in
            try connection.transaction { transaction in
                try ProjectionCheckpoints.save(name, position: position, on: transaction)
                if notify { try transaction.query("NOTIFY \(ProjectionProgress.channel)") }
            }
        }
    }

    func testListenerFollowsCommitsAndWaitersWake() throws {
        let url = try TestPostgres.freshDatabase()
        let pool = ConnectionPool(url: url, maxConnections: 2)
        defer { pool.close() }
        let progress = ProjectionProgress(pool: pool)
        XCTAssertNil(progress.current("views"), "known before the listener connected")

        let stop = StopSignal()
        let listener = Thread { progress.listen(url: url, stop: stop, logger: TestPostgres.quietLogger) }
        listener.start()
        defer { stop.stop() }
        XCTAssertTrue(waitUntil { progress.current("views") == .start })

        let target = LogPosition(transactionID: 900, seq: 7)
        let saver = Thread {
            Thread.sleep(forTimeInterval: 0.2)
            try? Self.saveCheckpoint("views", target, pool: pool, notify: true)
        }
        saver.start()
        XCTAssertTrue(progress.wait(for: "views", toReach: target, timeout: 10))
        XCTAssertEqual(progress.current("views"), target)
        XCTAssertFalse(progress.wait(for: "views", toReach: LogPosition(transactionID: 901, seq: 1), timeout: 0.3))
    }

    func testWaitPollsWhenNoListenerRuns() throws {
        let url = try TestPostgres.freshDatabase()
        let pool = ConnectionPool(url: url, maxConnections: 2)
        defer { pool.close() }
        let progress = ProjectionProgress(pool: pool)
        let target = LogPosition(transactionID: 50, seq: 3)

        XCTAssertFalse(progress.wait(for: "views", toReach: target, timeout: 0.2))
        // Without NOTIFY: only polling can see this checkpoint.
        try Self.saveCheckpoint("views", target, pool: pool, notify: false)
        XCTAssertTrue(progress.wait(for: "views", toReach: target, timeout: 5))
        XCTAssertNil(progress.current("views"), "a poll must not pass for a listener")
    }
}
