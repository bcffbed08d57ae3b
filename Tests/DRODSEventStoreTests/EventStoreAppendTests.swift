import DRODSCore
import DRODSEventStore
import DRODSTestSupport
import Foundation
import XCTest

final class EventStoreAppendTests: XCTestCase {
    private var store: EventStore!
    private var pool: ConnectionPool!

    override func setUpWithError() throws {
        pool = ConnectionPool(url: try TestPostgres.freshDatabase(), maxConnections: 8)
        store = EventStore(pool: pool)
    }

    override func tearDown() {
        pool.close()
    }

    func testAppendThenReadStream() throws {
        let result = try store.append(to: "cluster-a", expected: .noStream,
                                      events: [event("ClusterRegistered", ["name": "a"]),
                                               event("ClusterLabelled", ["env": "prod"])])
        XCTAssertEqual(result.version, 2)
        XCTAssertEqual(result.lastSeq, result.firstSeq + 1)

        let events = try store.readStream("cluster-a")
        XCTAssertEqual(events.map(\.streamVersion), [1, 2])
        XCTAssertEqual(events.map(\.type), ["ClusterRegistered", "ClusterLabelled"])
        XCTAssertEqual(try events[0].decodeData([String: String].self), ["name": "a"])
        XCTAssertEqual(try events[1].decodeMetadata().actor, "tester")
        XCTAssertEqual(try store.version(of: "cluster-a"), 2)
        XCTAssertEqual(try store.version(of: "cluster-missing"), 0)
    }

    func testMultiStreamAppendIsAllOrNothing() throws {
        try store.append(to: "binding-b", expected: .noStream, events: [event("BindingRequested")])
        let results = try XCTUnwrap(try store.append([
            StreamAppend(streamID: "binding-a", expected: .noStream, events: [event("BindingRequested"), event("BindingScheduled")]),
            StreamAppend(streamID: "binding-b", expected: .exact(1), events: [event("BindingScheduled")]),
        ]))
        XCTAssertEqual(results["binding-a"]?.version, 2)
        XCTAssertEqual(results["binding-b"]?.version, 2)
        XCTAssertEqual(results["binding-a"]?.lastPosition.transactionID, results["binding-b"]?.lastPosition.transactionID,
                       "one transaction")
        let tail = try store.readAll(after: .start, limit: 10).map { "\($0.streamID)@\($0.streamVersion)" }
        XCTAssertEqual(tail, ["binding-b@1", "binding-a@1", "binding-a@2", "binding-b@2"], "events in the order given")

        // One stale expectation writes nothing at all.
        let stale = try store.append([
            StreamAppend(streamID: "binding-c", expected: .noStream, events: [event("BindingRequested")]),
            StreamAppend(streamID: "binding-b", expected: .exact(1), events: [event("BindingScheduled")]),
        ])
        XCTAssertNil(stale)
        XCTAssertEqual(try store.version(of: "binding-c"), 0)
        XCTAssertEqual(try store.version(of: "binding-b"), 2)

        XCTAssertThrowsError(try store.append([
            StreamAppend(streamID: "binding-d", expected: .any, events: [event("A")]),
            StreamAppend(streamID: "binding-d", expected: .any, events: [event("B")]),
        ]))
    }

    func testAppendWithExactVersionContinuesStream() throws {
        try store.append(to: "policy-p", expected: .noStream, events: [event("PolicyCreated")])
        let second = try store.append(to: "policy-p", expected: .exact(1), events: [event("PolicyUpdated")])
        XCTAssertEqual(second.version, 2)
        let third = try store.append(to: "policy-p", expected: .any, events: [event("PolicyUpdated")])
        XCTAssertEqual(third.version, 3)
    }

    func testStaleExpectedVersionIsConflict() throws {
        try store.append(to: "cluster-b", expected: .noStream, events: [event("ClusterRegistered")])
        XCTAssertThrowsError(try store.append(to: "cluster-b", expected: .noStream,
                                              events: [event("ClusterRegistered")])) { error in
            let conflict = error as? EventStoreError
            XCTAssertEqual(conflict?.code, .wrongExpectedVersion)
            XCTAssertEqual(conflict?.actual, 1)
        }
        XCTAssertThrowsError(try store.append(to: "cluster-b", expected: .exact(5),
                                              events: [event("ClusterUpdated")])) { error in
            XCTAssertEqual((error as? EventStoreError)?.actual, 1)
        }
        XCTAssertEqual(try store.readStream("cluster-b").count, 1, "a failed append stores nothing")
    }

    func testConcurrentCreatesOfOneStreamHaveOneWinner() throws {
        let attempts = 8
        let outcomes = Outcomes()
        let store = self.store!
        DispatchQueue.concurrentPerform(iterations: attempts) { index in
            do {
                try store.append(to: "cluster-race", expected: .noStream,
                                 events: [event("ClusterRegistered", ["writer": "\(index)"])])
                outcomes.record(success: true)
            } catch let error as EventStoreError where error.code == .wrongExpectedVersion {
                outcomes.record(success: false)
            } catch {
                XCTFail("unexpected error: \(error)")
            }
        }
        XCTAssertEqual(outcomes.successes, 1)
        XCTAssertEqual(outcomes.conflicts, attempts - 1)
        XCTAssertEqual(try store.readStream("cluster-race").count, 1)
    }

    func testEmptyAppendIsRejected() throws {
        XCTAssertThrowsError(try store.append(to: "cluster-e", expected: .any, events: [])) { error in
            XCTAssertEqual((error as? EventStoreError)?.code, .emptyAppend)
        }
    }

    func testAppendAfterAnotherWriteInTransactionIsRejected() throws {
        try pool.withConnection { connection in
            try connection.query("BEGIN")
            try connection.query("INSERT INTO processed_commands (command_id, owner, reply) VALUES ('c1', 'test', '{}')")
            XCTAssertThrowsError(try EventStore.append(on: connection, to: "cluster-x", expected: .any,
                                                       events: [event("ClusterRegistered")])) { error in
                XCTAssertEqual((error as? EventStoreError)?.code, .notFirstWrite)
            }
            try connection.query("ROLLBACK")
        }
    }

    func testAppendCommitsWithOtherRowsOfTransaction() throws {
        try pool.withConnection { connection in
            XCTAssertThrowsError(try connection.transaction { transaction in
                try EventStore.append(on: transaction, to: "cluster-y", expected: .noStream,
                                      events: [event("ClusterRegistered")])
                try transaction.query("INSERT INTO processed_commands (command_id, owner, reply) VALUES ('c2', 'test', '{}')")
                throw CancellationError()
            })
        }
        XCTAssertEqual(try store.version(of: "cluster-y"), 0, "rolled back with the transaction")
    }
}

// MARK: - Helpers

func event(_ type: String, _ data: [String: String] = [:]) -> NewEvent {
    NewEvent(type: type, data: .object(data.mapValues { .string($0) }),
             metadata: EventMetadata(actor: "tester", correlationID: "corr-1"))
}

final class Outcomes: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var successes = 0
    private(set) var conflicts = 0

    func record(success: Bool) {
        lock.withLock {
            if success { successes += 1 } else { conflicts += 1 }
        }
    }
}
