import DRODSCore
@testable import DRODSMessaging
import Foundation
import XCTest

final class KafkaConsumerTests: XCTestCase {
    private var broker: DevelopmentBroker!

    override func setUpWithError() throws {
        broker = try startBroker(topics: ["orders": 3, "single": 1, Topics.deadLetter: 1])
    }

    override func tearDown() {
        broker.close()
        broker = nil
    }

    func testGroupRoundTripKeepsKeyAndHeaders() throws {
        let config = configuration(for: broker)
        let producer = try KafkaProducer(configuration: config, logger: testLogger)
        defer { producer.close() }
        let report = try producer.sendAndWait(topic: "orders", key: "order-7",
                                              value: Data("created".utf8),
                                              headers: ["trace": "abc", "kind": "order"])
        XCTAssertEqual(report.topic, "orders")

        let consumer = try KafkaConsumer(configuration: config, groupID: "round-trip",
                                         topics: ["orders"], logger: testLogger)
        let received = Collected<KafkaMessage>()
        let run = BackgroundRun { stop in
            try consumer.run(stop: stop) { received.append($0) }
        }
        XCTAssertTrue(waitUntil { received.count >= 1 }, "no message consumed")
        XCTAssertNil(run.stopAndWait())

        let message = try XCTUnwrap(received.all.first)
        XCTAssertEqual(received.count, 1)
        XCTAssertEqual(message.topic, "orders")
        XCTAssertEqual(message.key, "order-7")
        XCTAssertEqual(message.text, "created")
        XCTAssertEqual(message.headers, ["trace": "abc", "kind": "order"])
        XCTAssertEqual(message.partition, report.partition)
        XCTAssertEqual(message.offset, report.offset)
        XCTAssertNotNil(message.timestamp)
    }
}

// MARK: - Offsets

extension KafkaConsumerTests {
    func testRetriableErrorRedeliversSameMessage() throws {
        let config = configuration(for: broker)
        let producer = try KafkaProducer(configuration: config, logger: testLogger)
        defer { producer.close() }
        try produce(producer, topic: "single", key: "k", values: ["first", "second"])

        let consumer = try KafkaConsumer(
            configuration: config, groupID: "retry", topics: ["single"],
            retryBackoff: RetryPolicy(attempts: .max, initialDelay: 0.01, maxDelay: 0.05),
            logger: Logger(service: "messaging-tests", level: .error))
        let calls = Collected<String>()
        let run = BackgroundRun { stop in
            var failuresLeft = 2
            try consumer.run(stop: stop) { message in
                calls.append(message.text)
                if message.text == "first", failuresLeft > 0 {
                    failuresLeft -= 1
                    throw KafkaError(code: .timedOut, message: "simulated outage", isRetriable: true)
                }
            }
        }
        XCTAssertTrue(waitUntil { calls.all.contains("second") }, "second message never handled")
        XCTAssertNil(run.stopAndWait())

        XCTAssertEqual(calls.all, ["first", "first", "first", "second"])
    }

    func testNextGroupMemberResumesAfterLastHandledMessage() throws {
        // NOTE: librdkafka 2.0.2's mock cluster accepts LeaveGroup but still waits for the
        // departed member's session to expire before the next join completes, so a short
        // session keeps this test fast.
        var config = configuration(for: broker)
        let producer = try KafkaProducer(configuration: config, logger: testLogger)
        config.options = ["session.timeout.ms": "6000", "max.poll.interval.ms": "7000"]
        defer { producer.close() }
        let values = (0..<6).map { "message-\($0)" }
        try produce(producer, topic: "single", key: "k", values: values)

        // The first member handles three messages, then stops; the handler raises the stop
        // signal itself so that no fourth message is handled.
        let first = try KafkaConsumer(configuration: config, groupID: "resume", topics: ["single"],
                                      logger: testLogger)
        let handledFirst = Collected<String>()
        let firstRun = BackgroundRun { stop in
            try first.run(stop: stop) { message in
                handledFirst.append(message.text)
                if handledFirst.count == 3 { stop.stop() }
            }
        }
        XCTAssertTrue(waitUntil { handledFirst.count == 3 }, "first member handled too little")
        XCTAssertNil(firstRun.stopAndWait())
        XCTAssertEqual(handledFirst.all, Array(values[0..<3]))

        let second = try KafkaConsumer(configuration: config, groupID: "resume", topics: ["single"],
                                       logger: testLogger)
        let handledSecond = Collected<String>()
        let secondRun = BackgroundRun { stop in
            try second.run(stop: stop) { handledSecond.append($0.text) }
        }
        XCTAssertTrue(waitUntil { handledSecond.count >= 3 }, "second member handled too little")
        XCTAssertNil(secondRun.stopAndWait())

        XCTAssertEqual(handledSecond.all, Array(values[3..<6]))
    }

    func testUndecodableMessageGoesToDeadLetterTopic() throws {
        let config = configuration(for: broker)
        let producer = try KafkaProducer(configuration: config, logger: testLogger)
        defer { producer.close() }
        try producer.sendAndWait(topic: "single", key: "bad-key", value: Data("not json".utf8),
                                 headers: ["origin": "test"])
        try producer.sendAndWait(topic: "single", key: "good-key", value: Data("{}".utf8))

        let consumer = try KafkaConsumer(configuration: config, groupID: "dlq", topics: ["single"],
                                         logger: Logger(service: "messaging-tests", level: .error))
        let handled = Collected<String>()
        let run = BackgroundRun { stop in
            try consumer.run(stop: stop) { message in
                guard message.text.hasPrefix("{") else {
                    throw UndecodableMessageError(reason: "expected a JSON object")
                }
                handled.append(message.text)
            }
        }
        XCTAssertTrue(waitUntil { handled.count == 1 }, "consumer did not go on after the bad message")
        XCTAssertNil(run.stopAndWait())
        XCTAssertEqual(handled.all, ["{}"])

        let reader = try KafkaConsumer(configuration: config, readerOf: Topics.deadLetter,
                                       startingAt: .beginning, logger: testLogger)
        let deadLetters = Collected<KafkaMessage>()
        let readerRun = BackgroundRun { stop in
            try reader.run(stop: stop) { deadLetters.append($0) }
        }
        XCTAssertTrue(waitUntil { deadLetters.count >= 1 }, "nothing on the dead-letter topic")
        XCTAssertNil(readerRun.stopAndWait())

        XCTAssertEqual(deadLetters.count, 1)
        let deadLetter = try XCTUnwrap(deadLetters.all.first)
        XCTAssertEqual(deadLetter.key, "bad-key")
        XCTAssertEqual(deadLetter.text, "not json")
        XCTAssertEqual(deadLetter.headers["origin"], "test")
        XCTAssertEqual(deadLetter.headers[DeadLetterHeaders.reason], "expected a JSON object")
        XCTAssertEqual(deadLetter.headers[DeadLetterHeaders.topic], "single")
        XCTAssertEqual(deadLetter.headers[DeadLetterHeaders.partition], "0")
        XCTAssertEqual(deadLetter.headers[DeadLetterHeaders.offset], "0")
        XCTAssertEqual(deadLetter.headers[DeadLetterHeaders.group], "dlq")
    }

    func testReaderFromEndSeesOnlyLaterMessages() throws {
        let config = configuration(for: broker)
        let producer = try KafkaProducer(configuration: config, logger: testLogger)
        defer { producer.close() }
        try produce(producer, topic: "orders", key: "a", values: ["old-1", "old-2"])

        let reader = try KafkaConsumer(configuration: config, readerOf: "orders", startingAt: .end,
                                       logger: testLogger)
        // Produced before the reader's thread even starts polling: the start offsets were fixed
        // in `init`, so these must still be seen.
        try produce(producer, topic: "orders", key: "b", values: ["new-1", "new-2"])

        let received = Collected<String>()
        let run = BackgroundRun { stop in
            try reader.run(stop: stop) { received.append($0.text) }
        }
        XCTAssertTrue(waitUntil { received.count >= 2 }, "reader missed new messages")
        XCTAssertNil(run.stopAndWait())

        XCTAssertEqual(received.all, ["new-1", "new-2"])
    }

    func testReaderOfMissingTopicFails() {
        XCTAssertThrowsError(try KafkaConsumer(configuration: configuration(for: broker),
                                               readerOf: "no-such-topic", timeout: 5,
                                               logger: testLogger)) { error in
            XCTAssertEqual((error as? KafkaError)?.code, .invalidArgument)
        }
    }

    func testRunAfterCloseFails() throws {
        let consumer = try KafkaConsumer(configuration: configuration(for: broker), groupID: "closed",
                                         topics: ["single"], logger: testLogger)
        consumer.close()

        XCTAssertThrowsError(try consumer.run(stop: StopSignal()) { _ in }) { error in
            XCTAssertEqual((error as? KafkaError)?.code, .closed)
        }
    }
}
