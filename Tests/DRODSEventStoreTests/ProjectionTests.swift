import DRODSCore
import DRODSEventStore
import DRODSTestSupport
import Foundation
import XCTest

final class ProjectionTests: XCTestCase {
    func testCheckpointCommitsWithRowsAndSurvivesCrash() throws {
        let url = try TestPostgres.freshDatabase()
        let pool = ConnectionPool(url: url, maxConnections: 4)
        defer { pool.close() }
        let store = EventStore(pool: pool)
        try pool.withConnection { try $0.query("CREATE TABLE stream_counts (stream_id text PRIMARY KEY, events int NOT NULL)") }
        for index in 0..<10 {
            try store.append(to: "cluster-\(index % 3)", expected: .any, events: [event("ClusterUpdated")])
        }

        // A projection that fails half-way through its first batch must leave neither rows
        // nor a checkpoint behind.
        let failing = Projection(name: "counts") { connection, events in
            try Self.count(events.prefix(4), on: connection)
            throw CancellationError()
        }
        XCTAssertThrowsError(try pool.withConnection { connection in
            try connection.transaction { transaction in
                let batch = try EventStore.readAll(on: transaction, after: .start, limit: 100)
                try failing.apply(transaction, batch)
                try ProjectionCheckpoints.save("counts", position: batch.last!.position, on: transaction)
            }
        })
        try pool.withConnection { connection in
            XCTAssertEqual(try ProjectionCheckpoints.load("counts", on: connection), .start)
            XCTAssertEqual(try connection.query("SELECT count(*) FROM stream_counts").scalar, "0")
        }

        // The working projection then counts every event exactly once, across a restart.
        let working = Projection(name: "counts") { connection, events in
            try Self.count(events[...], on: connection)
        }
        try runUntilCaughtUp(working, pool: pool, url: url, expected: 10)
        try store.append(to: "cluster-0", expected: .any, events: [event("ClusterUpdated")])
        try runUntilCaughtUp(working, pool: pool, url: url, expected: 11)

        try pool.withConnection { connection in
            let rows = try connection.query("SELECT stream_id, events FROM stream_counts ORDER BY stream_id").rows
            XCTAssertEqual(rows.map { $0[1] }, ["5", "3", "3"])
        }
    }

    func testSharedTailerCatchesUpBehindProjection() throws {
        let url = try TestPostgres.freshDatabase()
        let pool = ConnectionPool(url: url, maxConnections: 4)
        defer { pool.close() }
        let store = EventStore(pool: pool)
        try pool.withConnection { connection in
            try connection.query("CREATE TABLE seen (projection text, seq bigint, PRIMARY KEY (projection, seq))")
        }
        for index in 0..<12 {
            try store.append(to: "cluster-\(index % 4)", expected: .any, events: [event("ClusterUpdated")])
        }
        // "ahead" already contains the first eight events and "behind" none, like a rebuilt projection.
        let firstEight = try store.readAll(after: .start, limit: 8)
        try pool.withConnection { connection in
            for stored in firstEight {
                try connection.query("INSERT INTO seen VALUES ('ahead', $1)", [String(stored.seq)])
            }
            try ProjectionCheckpoints.save("ahead", position: firstEight.last!.position, on: connection)
        }
        let projections = ["ahead", "behind"].map { name in
            Projection(name: name) { connection, events in
                // The primary key fails the batch if an event arrives twice.
                for stored in events {
                    try connection.query("INSERT INTO seen VALUES ($1, $2)", [name, String(stored.seq)])
                }
            }
        }

        let stop = StopSignal()
        let tailer = LogTailer(url: url, batchSize: 5, logger: TestPostgres.quietLogger)
        let thread = Thread { try? Projection.run(projections, pool: pool, tailer: tailer, stop: stop) }
        thread.start()
        defer { stop.stop() }

        XCTAssertTrue(waitUntil {
            let counts = try? pool.withConnection {
                try $0.query("SELECT projection, count(*) FROM seen GROUP BY projection ORDER BY projection").rows
            }
            return counts?.map { $0[1] } == ["12", "12"]
        })
        let last = try store.readAll(after: .start, limit: 100).last!.position
        try pool.withConnection { connection in
            XCTAssertEqual(try ProjectionCheckpoints.load("ahead", on: connection), last)
            XCTAssertEqual(try ProjectionCheckpoints.load("behind", on: connection), last)
        }
    }

    private func runUntilCaughtUp(_ projection: Projection, pool: ConnectionPool, url: String,
                                  expected: Int) throws {
        let stop = StopSignal()
        let tailer = LogTailer(url: url, batchSize: 4, logger: TestPostgres.quietLogger)
        let thread = Thread { try? projection.run(pool: pool, tailer: tailer, stop: stop) }
        thread.start()
        XCTAssertTrue(waitUntil {
            let total = try? pool.withConnection { try $0.query("SELECT coalesce(sum(events), 0) FROM stream_counts").scalar }
            return total == String(expected)
        })
        stop.stop()
        Thread.sleep(forTimeInterval: 0.2)
    }

    private static func count(_ events: ArraySlice<StoredEvent>, on connection: PQConnection) throws {
        for event in events {
            try connection.query("""
                INSERT INTO stream_counts (stream_id, events) VALUES ($1, 1)
                ON CONFLICT (stream_id) DO UPDATE SET events = stream_counts.events + 1
                """, [event.streamID])
        }
    }
}
