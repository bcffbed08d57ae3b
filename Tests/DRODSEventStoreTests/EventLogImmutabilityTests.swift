import DRODSEventStore
import DRODSTestSupport
import XCTest

final class EventLogImmutabilityTests: XCTestCase {
    private var pool: ConnectionPool!

    override func setUpWithError() throws {
        pool = ConnectionPool(url: try TestPostgres.freshDatabase(), maxConnections: 2)
        try EventStore(pool: pool).append(to: "cluster-a", expected: .noStream,
                                          events: [event("ClusterRegistered")])
    }

    override func tearDown() {
        pool.close()
    }

    func testUpdateIsRejected() throws {
        try assertRejected("UPDATE event_log SET type = 'Changed'")
    }

    func testDeleteIsRejected() throws {
        try assertRejected("DELETE FROM event_log")
    }

    func testTruncateIsRejected() throws {
        try assertRejected("TRUNCATE event_log")
    }

    func testMigrationsRunTwiceAndConcurrently() throws {
        let url = try TestPostgres.freshDatabase(migrated: false)
        let errors = ErrorList()
        DispatchQueue.concurrentPerform(iterations: 4) { _ in
            do {
                let connection = try PQConnection(url: url)
                defer { connection.close() }
                try Migrations.apply(on: connection, logger: TestPostgres.quietLogger)
            } catch {
                errors.append(error)
            }
        }
        XCTAssertTrue(errors.items.isEmpty, "\(errors.items)")
        let connection = try PQConnection(url: url)
        defer { connection.close() }
        XCTAssertEqual(try Migrations.apply(on: connection, logger: TestPostgres.quietLogger), [])
        let count = try connection.query("SELECT count(*) FROM schema_migrations").scalar
        XCTAssertEqual(count, String(Migrations.all.count))
    }

    private func assertRejected(_ sql: String, file: StaticString = #filePath, line: UInt = #line) throws {
        try pool.withConnection { connection in
            XCTAssertThrowsError(try connection.query(sql), file: file, line: line) { error in
                XCTAssertEqual((error as? PostgresError)?.code, .raiseException, file: file, line: line)
            }
            XCTAssertEqual(try connection.query("SELECT count(*) FROM event_log").scalar, "1",
                           file: file, line: line)
        }
    }
}

final class ErrorList: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [Error] = []
    func append(_ error: Error) { lock.withLock { storage.append(error) } }
    var items: [Error] { lock.withLock { storage } }
}
