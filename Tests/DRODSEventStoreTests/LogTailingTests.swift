import DRODSCore
import DRODSEventStore
import DRODSTestSupport
import Foundation
import XCTest

final class LogTailingTests: XCTestCase {
    private var url: String!
    private var pool: ConnectionPool!
    private var store: EventStore!

    override func setUpWithError() throws {
        url = try TestPostgres.freshDatabase()
        pool = ConnectionPool(url: url, maxConnections: 4)
        store = EventStore(pool: pool)
    }

    override func tearDown() {
        pool.close()
    }

    func testReadAllReturnsEventsInAppendOrder() throws {
        for index in 1...5 {
            try store.append(to: "cluster-\(index)", expected: .noStream, events: [event("ClusterRegistered")])
        }
        let all = try store.readAll(after: .start)
        XCTAssertEqual(all.map(\.streamID), (1...5).map { "cluster-\($0)" })
        let rest = try store.readAll(after: all[1].position)
        XCTAssertEqual(rest.map(\.streamID), ["cluster-3", "cluster-4", "cluster-5"])
        XCTAssertEqual(try store.readAll(after: .start, limit: 2).count, 2)
    }

    /// The slow transaction takes its sequence number first but commits last. A reader that
    /// tracked only "seq > last seen" would read the fast event, move past the slow one's
    /// sequence number and never see it.
    func testLateCommitIsNotSkipped() throws {
        let slow = try PQConnection(url: url)
        defer { slow.close() }
        try slow.query("BEGIN")
        let slowResult = try EventStore.append(on: slow, to: "cluster-slow", expected: .noStream,
                                               events: [event("ClusterRegistered")])

        let fastResult = try store.append(to: "cluster-fast", expected: .noStream,
                                          events: [event("ClusterRegistered")])
        XCTAssertGreaterThan(fastResult.firstSeq, slowResult.firstSeq)

        let whileOpen = try store.readAll(after: .start)
        XCTAssertTrue(whileOpen.isEmpty, "the fast event waits behind the open transaction: \(whileOpen.map(\.streamID))")
        try pool.withConnection { XCTAssertTrue(try EventStore.hasEventsBeyondHorizon(on: $0)) }

        try pool.withConnection { XCTAssertTrue(try EventStore.hasEvents(after: .start, on: $0)) }

        try slow.query("COMMIT")
        let after = try store.readAll(after: .start)
        XCTAssertEqual(Set(after.map(\.streamID)), ["cluster-slow", "cluster-fast"])
    }

    /// A tailer asks after every read whether events lie past its position; only that answer,
    /// not the horizon read in a later snapshot, keeps it from sleeping past an event.
    func testHasEventsAfterPosition() throws {
        try pool.withConnection { XCTAssertFalse(try EventStore.hasEvents(after: .start, on: $0)) }
        try store.append(to: "cluster-a", expected: .noStream, events: [event("ClusterRegistered")])
        let first = try XCTUnwrap(store.readAll(after: .start).last)
        try pool.withConnection { XCTAssertTrue(try EventStore.hasEvents(after: .start, on: $0)) }
        try pool.withConnection { XCTAssertFalse(try EventStore.hasEvents(after: first.position, on: $0)) }

        try store.append(to: "cluster-b", expected: .noStream, events: [event("ClusterRegistered")])
        try pool.withConnection { XCTAssertTrue(try EventStore.hasEvents(after: first.position, on: $0)) }
    }

    func testTailerSeesEveryEventOfConcurrentWriters() throws {
        let writers = 4
        let perWriter = 50
        let collected = Collected()
        let stop = StopSignal()
        let tailer = LogTailer(url: url, batchSize: 37, logger: TestPostgres.quietLogger)
        let thread = Thread {
            tailer.run(from: .start, stop: stop) { batch in
                collected.add(batch)
                return batch.last!.position
            }
        }
        thread.start()

        let store = self.store!
        DispatchQueue.concurrentPerform(iterations: writers) { writer in
            for index in 0..<perWriter {
                let stream = "workload-\(writer)-\(index % 5)"
                do {
                    try store.append(to: stream, expected: .any, events: [event("WorkloadUpdated")])
                } catch {
                    XCTFail("append failed: \(error)")
                }
            }
        }

        let deadline = Date(timeIntervalSinceNow: 20)
        while collected.count < writers * perWriter && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.02)
        }
        stop.stop()

        XCTAssertEqual(collected.count, writers * perWriter)
        XCTAssertEqual(Set(collected.events.map(\.seq)).count, writers * perWriter, "no event twice")
        for (stream, versions) in Dictionary(grouping: collected.events, by: \.streamID) {
            XCTAssertEqual(versions.map(\.streamVersion), Array(1...versions.count), "order of \(stream)")
        }
    }

    func testTailerWakesOnNotificationWithoutWaitingForTimeout() throws {
        let received = StopSignal()
        let stop = StopSignal()
        let tailer = LogTailer(url: url, logger: TestPostgres.quietLogger)
        tailer.idleWait = 60
        let thread = Thread {
            tailer.run(from: .start, stop: stop) { batch in
                received.stop()
                return batch.last!.position
            }
        }
        thread.start()
        Thread.sleep(forTimeInterval: 0.3)  // Lets the tailer reach its wait.

        try store.append(to: "cluster-n", expected: .noStream, events: [event("ClusterRegistered")])
        XCTAssertTrue(received.wait(seconds: 10), "a notification ends the 60 s wait")
        stop.stop()
    }

    func testPositionOfSeqFindsStoredEvent() throws {
        let result = try store.append(to: "cluster-p", expected: .noStream, events: [event("ClusterRegistered")])
        let position = try XCTUnwrap(try store.position(ofSeq: result.firstSeq))
        XCTAssertEqual(position.seq, result.firstSeq)
        XCTAssertNil(try store.position(ofSeq: 999_999))
    }
}

final class Collected: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [StoredEvent] = []
    func add(_ batch: [StoredEvent]) { lock.withLock { storage += batch } }
    var events: [StoredEvent] { lock.withLock { storage } }
    var count: Int { lock.withLock { storage.count } }
}

final class LogOrderAcrossTransactionIDDigitsTests: XCTestCase {
    /// Transaction ids compared as text would put 1000 before 999; the tail order must be
    /// numeric across such a boundary.
    func testReadAllOrdersTransactionIDsNumerically() throws {
        let url = try TestPostgres.freshDatabase()
        let pool = ConnectionPool(url: url, maxConnections: 2)
        defer { pool.close() }
        let store = EventStore(pool: pool)

        // Transaction ids count for the whole server, and other databases of the test server
        // may use some meanwhile, so each attempt burns ids up to just below the next power of
        // ten, then appends until the ids have crossed it.
        try pool.withConnection { connection in
            try connection.query("""
                CREATE PROCEDURE burn_transaction_ids(count bigint) LANGUAGE plpgsql AS $$
                BEGIN
                    FOR i IN 1..count LOOP
                        PERFORM pg_current_xact_id();
                        COMMIT;
                    END LOOP;
                END $$
                """)
        }
        var appended: [Int64] = []
        var transactionIDs: [UInt64] = []
        func straddles() -> Bool {
            transactionIDs.contains { String($0).count != String(transactionIDs.first ?? 0).count }
        }
        for _ in 0..<3 where !straddles() {
            transactionIDs.removeAll()
            try pool.withConnection { connection in
                let current = UInt64(try connection.query("SELECT pg_current_xact_id()::text").scalar ?? "0") ?? 0
                var boundary: UInt64 = 10
                while boundary <= current + 2 { boundary *= 10 }
                try connection.query("CALL burn_transaction_ids($1)", [String(boundary - current - 3)])
            }
            for _ in 0..<40 where !straddles() || transactionIDs.count < 3 {
                let result = try store.append(to: "cluster-digits", expected: .exact(appended.count),
                                              events: [event("ClusterUpdated")])
                appended.append(result.firstSeq)
                transactionIDs.append(result.lastPosition.transactionID)
            }
        }

        let all = try store.readAll(after: .start)
        XCTAssertEqual(all.map(\.seq), appended)
        XCTAssertEqual(all.map(\.position), all.map(\.position).sorted())
        XCTAssertTrue(straddles(), "the appends did not straddle a digit boundary: \(transactionIDs)")
        XCTAssertEqual(try store.readAll(after: all[1].position).map(\.seq), Array(appended.dropFirst(2)))

        // Reads wait for the newest position; as text, an id below the boundary would win.
        let newest = try pool.withConnection { try EventStore.newestPosition(on: $0) }
        XCTAssertEqual(newest, all.last?.position)
        let newestOfStream = try pool.withConnection { try EventStore.newestPosition(of: "cluster-digits", on: $0) }
        XCTAssertEqual(newestOfStream, all.last?.position)
        XCTAssertNil(try pool.withConnection { try EventStore.newestPosition(of: "cluster-none", on: $0) })
    }
}
