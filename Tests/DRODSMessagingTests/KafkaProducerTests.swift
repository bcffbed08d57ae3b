import DRODSCore
@testable import DRODSMessaging
import Foundation
import XCTest

final class KafkaProducerTests: XCTestCase {
    private var broker: DevelopmentBroker!

    override func setUpWithError() throws {
        broker = try startBroker(topics: ["events": 4])
    }

    override func tearDown() {
        broker.close()
        broker = nil
    }

    func testCloseDeliversEverythingQueued() throws {
        let metrics = MetricsRegistry()
        let producer = try KafkaProducer(configuration: configuration(for: broker),
                                         logger: testLogger, metrics: metrics)
        let results = Collected<Result<DeliveryReport, KafkaError>>()
        for index in 0..<500 {
            producer.send(topic: "events", key: "key-\(index % 7)", value: Data("\(index)".utf8)) {
                results.append($0)
            }
        }
        producer.close()

        // `close` returns only after every completion has run.
        XCTAssertEqual(results.count, 500)
        let failures = results.all.filter { if case .failure = $0 { true } else { false } }
        XCTAssertEqual(failures.count, 0)
        XCTAssertEqual(metrics.value("drods_kafka_produced_total", labels: ["topic": "events"]), 500)
        XCTAssertEqual(metrics.value("drods_kafka_delivered_total", labels: ["topic": "events"]), 500)
    }

    func testMessagesOfOneKeyKeepTheirOrder() throws {
        let config = configuration(for: broker)
        let producer = try KafkaProducer(configuration: config, logger: testLogger)
        let keys = ["cluster-a", "cluster-b", "cluster-c"]
        let perKey = 200
        for index in 0..<perKey {
            for key in keys {
                producer.send(topic: "events", key: key, value: Data("\(index)".utf8)) { _ in }
            }
        }
        try producer.flush(timeout: brokerWait)
        producer.close()

        let consumer = try KafkaConsumer(configuration: config, groupID: "order", topics: ["events"],
                                         logger: testLogger)
        let received = Collected<KafkaMessage>()
        let run = BackgroundRun { stop in
            try consumer.run(stop: stop) { received.append($0) }
        }
        XCTAssertTrue(waitUntil { received.count >= keys.count * perKey }, "not every message consumed")
        XCTAssertNil(run.stopAndWait())

        XCTAssertEqual(received.count, keys.count * perKey)
        for key in keys {
            let sequence = received.all.filter { $0.key == key }.map { Int($0.text) }
            XCTAssertEqual(sequence, Array(0..<perKey), "order broken for \(key)")
        }
    }

    func testSendWithTimeoutCompletesOnceWithReport() throws {
        let producer = try KafkaProducer(configuration: configuration(for: broker), logger: testLogger)
        defer { producer.close() }
        // A first send waits for the topic's metadata, which on a busy machine can take longer
        // than the short timeout below.
        try producer.sendAndWait(topic: "events", key: nil, value: Data("warm".utf8), timeout: brokerWait)
        let results = Collected<Result<DeliveryReport, KafkaError>>()

        producer.send(topic: "events", key: "a", value: Data("x".utf8), timeout: 0.5) { results.append($0) }

        XCTAssertTrue(waitUntil { results.count >= 1 }, "no completion")
        // Past the timeout, which must not complete the message a second time.
        Thread.sleep(forTimeInterval: 0.8)
        XCTAssertEqual(results.count, 1)
        let report = try XCTUnwrap(try? results.all.first?.get())
        XCTAssertEqual(report.topic, "events")
    }

    func testSendWithTimeoutFailsWhenBrokerIsGone() throws {
        let producer = try KafkaProducer(configuration: configuration(for: broker), logger: testLogger)
        try producer.sendAndWait(topic: "events", key: nil, value: Data("warm".utf8), timeout: brokerWait)
        broker.close()
        let results = Collected<Result<DeliveryReport, KafkaError>>()
        let started = Date()

        producer.send(topic: "events", key: "a", value: Data("x".utf8), timeout: 0.5) { results.append($0) }

        XCTAssertTrue(waitUntil { results.count >= 1 }, "no completion")
        XCTAssertLessThan(Date().timeIntervalSince(started), 5)
        guard case .failure(let error) = results.all.first else {
            return XCTFail("expected a timeout, got \(String(describing: results.all.first))")
        }
        XCTAssertEqual(error.code, .timedOut)
        producer.close(timeout: 0.5)
    }

    func testSendAfterCloseFailsAtOnce() throws {
        let producer = try KafkaProducer(configuration: configuration(for: broker), logger: testLogger)
        producer.close()

        XCTAssertThrowsError(try producer.sendAndWait(topic: "events", key: nil, value: Data(),
                                                      timeout: 1)) { error in
            XCTAssertEqual((error as? KafkaError)?.code, .closed)
        }
    }
}
