import DRODSCore
import DRODSEventStore
import DRODSMessaging
import DRODSTestSupport
import Foundation
import XCTest

final class RelayCrashTests: XCTestCase {
    /// Covers both crash windows of the relay. Events appended while the relay is frozen and
    /// then killed were never published; events published before a rewound checkpoint were
    /// published but not recorded. The next relay must publish the first and republish the
    /// second, and a consumer that dedupes by sequence number receives every event once, each
    /// stream in version order.
    func testRelayKilledBetweenAppendAndPublishLosesNothing() throws {
        let environment = try serviceEnvironment()
        let url = environment["DRODS_POSTGRES_URL"]!
        let brokers = environment["DRODS_KAFKA_BROKERS"]!
        let streamPrefix = "cluster-crash\(UUID().uuidString.prefix(6).lowercased())"

        let consumerStop = StopSignal()
        let seen = SeenEvents(streamPrefix: streamPrefix)
        let reader = try KafkaConsumer(configuration: KafkaConfiguration(brokers: brokers, clientID: "test-reader"),
                                       readerOf: Topics.events(category: "cluster"), startingAt: .end,
                                       logger: TestPostgres.quietLogger)
        let readerDone = StopSignal()
        Thread {
            try? reader.run(stop: consumerStop) { message in
                seen.add(try WireJSON.decode(EventEnvelope.self, from: message.value))
            }
            readerDone.stop()
        }.start()
        defer {
            consumerStop.stop()
            readerDone.wait(seconds: 5)
            reader.close()
        }

        let pool = ConnectionPool(url: url, maxConnections: 2)
        defer { pool.close() }
        let store = EventStore(pool: pool)
        var appended: Set<Int64> = []
        func appendRounds(_ rounds: Range<Int>) throws {
            let metadata = EventMetadata(actor: "test", correlationID: "crash")
            for round in rounds {
                let result = try store.append(to: "\(streamPrefix)-\(round % 7)", expected: .any, events: (0..<25).map { _ in
                    NewEvent(type: "ClusterUpdated", data: .object(["round": .number(Double(round))]), metadata: metadata)
                })
                appended.formUnion(result.firstSeq...result.lastSeq)
            }
        }

        let first = try ServiceUnderTest("drods-history", environment: environment)
        XCTAssertTrue(first.waitUntilReady(), first.log)
        try appendRounds(0..<10)
        XCTAssertTrue(waitFor(seconds: 30) { seen.uniqueSeqs == appended }, "first relay published \(seen.uniqueSeqs.count) of \(appended.count)")

        // Frozen, the relay still holds its lock, so no standby publishes what comes next.
        first.signal(SIGSTOP)
        try appendRounds(10..<30)
        first.signal(SIGKILL)
        XCTAssertTrue(first.waitForExit(timeout: 10))
        XCTAssertLessThan(seen.uniqueSeqs.count, appended.count, "nothing published while the relay was frozen")

        // As if the relay had died after publishing and before saving its checkpoint.
        try pool.withConnection { connection in
            try connection.query("DELETE FROM projection_checkpoints WHERE name = 'relay:kafka'")
        }

        let second = try ServiceUnderTest("drods-history", environment: environment)
        XCTAssertTrue(second.waitUntilReady(), second.log)
        try appendRounds(30..<40)
        XCTAssertTrue(waitFor(seconds: 60) { seen.uniqueSeqs.isSuperset(of: appended) },
                      "missing \(appended.subtracting(seen.uniqueSeqs).count) of \(appended.count) events")
        second.signal(SIGTERM)
        XCTAssertTrue(second.waitForExit(timeout: 20))

        XCTAssertEqual(seen.uniqueSeqs, appended, "every appended event, nothing else")
        XCTAssertGreaterThanOrEqual(seen.duplicates, 250, "the rewound events were published again")
        for (stream, versions) in seen.firstSeenVersionsByStream {
            XCTAssertEqual(versions, Array(1...versions.count), "order of \(stream)")
        }
    }
}

/// What a deduping consumer keeps: the first delivery of each sequence number.
final class SeenEvents: @unchecked Sendable {
    private let lock = NSLock()
    private let streamPrefix: String
    private var seqs: Set<Int64> = []
    private var versions: [String: [Int]] = [:]
    private var duplicateCount = 0

    init(streamPrefix: String) { self.streamPrefix = streamPrefix }

    func add(_ event: EventEnvelope) {
        guard event.streamID.hasPrefix(streamPrefix) else { return }
        lock.withLock {
            guard seqs.insert(event.seq).inserted else {
                duplicateCount += 1
                return
            }
            versions[event.streamID, default: []].append(event.streamVersion)
        }
    }

    var uniqueSeqs: Set<Int64> { lock.withLock { seqs } }
    var duplicates: Int { lock.withLock { duplicateCount } }
    var firstSeenVersionsByStream: [String: [Int]] { lock.withLock { versions } }
}
