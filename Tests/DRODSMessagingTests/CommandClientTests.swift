import DRODSCore
@testable import DRODSMessaging
import Foundation
import XCTest

final class CommandClientTests: XCTestCase {
    private var broker: DevelopmentBroker!
    private let commandTopic = Topics.commandsController

    override func setUpWithError() throws {
        broker = try startBroker(topics: [commandTopic: 3, Topics.replies: 3, Topics.deadLetter: 1])
    }

    override func tearDown() {
        broker.close()
        broker = nil
    }

    private func command(type: String = "RegisterCluster") -> CommandEnvelope {
        CommandEnvelope(correlationID: UUID().uuidString, type: type, actor: "tester",
                        replyTopic: Topics.replies, payload: .object(["name": .string("gcp-prod")]))
    }

    /// Starts a command server whose handler is `handler`; the caller stops it.
    private func startServer(
        parallelism: Int = 1,
        _ handler: @escaping @Sendable (CommandEnvelope) throws -> ReplyEnvelope
    ) throws -> BackgroundRun {
        let server = try CommandServer(configuration: configuration(for: broker, clientID: "server"),
                                       topic: commandTopic, groupID: "controller",
                                       logger: Logger(service: "messaging-tests", level: .critical))
        return BackgroundRun { stop in
            try server.run(stop: stop, parallelism: parallelism, handler: handler)
        }
    }

    func testCommandRoundTripReturnsOwnersReply() throws {
        let metrics = MetricsRegistry()
        let client = try CommandClient(configuration: configuration(for: broker, clientID: "gateway"),
                                       logger: testLogger, metrics: metrics)
        defer { client.close() }
        let server = try startServer { command in
            ReplyEnvelope(commandID: command.id, correlationID: command.correlationID,
                          outcome: .accepted, version: 1, result: command.payload)
        }
        defer { XCTAssertNil(server.stopAndWait()) }

        let sent = command()
        let reply = try client.send(sent, to: commandTopic, key: "cluster-gcp-prod", timeout: brokerWait)

        XCTAssertEqual(reply.commandID, sent.id)
        XCTAssertEqual(reply.correlationID, sent.correlationID)
        XCTAssertEqual(reply.outcome, .accepted)
        XCTAssertEqual(reply.version, 1)
        XCTAssertEqual(reply.result, sent.payload)
        XCTAssertEqual(client.pendingCount, 0)
        XCTAssertTrue(metrics.render().contains("drods_command_reply_seconds_count{topic=\"\(commandTopic)\"} 1"))
    }

    func testCommandsFromTwoClientsGetTheirOwnReplies() throws {
        let first = try CommandClient(configuration: configuration(for: broker), logger: testLogger)
        defer { first.close() }
        let second = try CommandClient(configuration: configuration(for: broker), logger: testLogger)
        defer { second.close() }
        let server = try startServer { command in
            ReplyEnvelope(commandID: command.id, correlationID: command.correlationID,
                          outcome: .accepted, result: .string(command.type))
        }
        defer { XCTAssertNil(server.stopAndWait()) }

        let firstReply = try first.send(command(type: "First"), to: commandTopic, timeout: brokerWait)
        let secondReply = try second.send(command(type: "Second"), to: commandTopic, timeout: brokerWait)

        XCTAssertEqual(firstReply.result, .string("First"))
        XCTAssertEqual(secondReply.result, .string("Second"))
    }

    func testHandlerErrorRepliesInternalErrorWithoutDetail() throws {
        let client = try CommandClient(configuration: configuration(for: broker), logger: testLogger)
        defer { client.close() }
        let server = try startServer { _ in
            throw KafkaError(code: .broker, message: "password=hunter2 leaked from a handler")
        }
        defer { XCTAssertNil(server.stopAndWait()) }

        let reply = try client.send(command(), to: commandTopic, timeout: brokerWait)

        XCTAssertEqual(reply.outcome, .rejected)
        XCTAssertEqual(reply.code, "INTERNAL_ERROR")
        XCTAssertFalse(reply.message?.contains("hunter2") ?? true)
    }

    func testCommandTimesOutWithoutServer() throws {
        let client = try CommandClient(configuration: configuration(for: broker), logger:
            Logger(service: "messaging-tests", level: .error))
        defer { client.close() }
        let sent = command()
        let started = Date()

        XCTAssertThrowsError(try client.send(sent, to: commandTopic, timeout: 1)) { error in
            let timeout = error as? CommandTimeoutError
            XCTAssertEqual(timeout?.commandID, sent.id)
            XCTAssertEqual(timeout?.timeout, 1)
        }
        XCTAssertGreaterThanOrEqual(Date().timeIntervalSince(started), 1)
        XCTAssertEqual(client.pendingCount, 0)
    }

    func testPendingCommandLimitRejectsExtraCommand() throws {
        let client = try CommandClient(configuration: configuration(for: broker),
                                       maxPendingCommands: 1,
                                       logger: Logger(service: "messaging-tests", level: .error))
        defer { client.close() }
        let first = command()
        let waiting = BackgroundRun { [commandTopic] _ in
            _ = try? client.send(first, to: commandTopic, timeout: brokerWait)
        }
        XCTAssertTrue(waitUntil { client.pendingCount == 1 }, "first command never pending")

        XCTAssertThrowsError(try client.send(command(), to: commandTopic, timeout: 1)) { error in
            XCTAssertEqual((error as? PendingCommandLimitError)?.limit, 1)
        }

        // Closing fails the waiting command at once instead of after its timeout.
        client.close()
        XCTAssertNil(waiting.stopAndWait(timeout: 5))
    }

    func testCommandNamingAnotherReplyTopicIsRejected() throws {
        let client = try CommandClient(configuration: configuration(for: broker), logger: testLogger)
        defer { client.close() }
        var sent = command()
        sent.replyTopic = "elsewhere"

        XCTAssertThrowsError(try client.send(sent, to: commandTopic, timeout: 1)) { error in
            XCTAssertEqual((error as? KafkaError)?.code, .invalidArgument)
        }
    }

    func testBatchKeepsOrderPerKeyAndAnswersEveryCommand() throws {
        // The commands are on the topic before the server starts, so it takes them in batches
        // that mix keys, and runs the keys on several threads.
        let producer = try KafkaProducer(configuration: configuration(for: broker, clientID: "raw"),
                                         logger: testLogger)
        defer { producer.close() }
        let keys = ["alpha", "beta", "gamma", "delta"]
        var sent: [String: String] = [:]
        for index in 0..<10 {
            for key in keys {
                let envelope = CommandEnvelope(correlationID: "\(key)-\(index)", type: "Step", actor: "tester",
                                               replyTopic: Topics.replies,
                                               payload: .object(["key": .string(key), "index": .number(Double(index))]))
                sent[envelope.id] = key
                try producer.sendAndWait(topic: commandTopic, key: key, value: WireJSON.encode(envelope),
                                         timeout: brokerWait)
            }
        }
        let replies = try KafkaConsumer(configuration: configuration(for: broker, clientID: "replies"),
                                        readerOf: Topics.replies, startingAt: .beginning, logger: testLogger)
        let received = Collected<ReplyEnvelope>()
        let reader = BackgroundRun { stop in
            try replies.run(stop: stop) { message in
                received.append(try WireJSON.decode(ReplyEnvelope.self, from: message.value))
            }
        }
        defer { XCTAssertNil(reader.stopAndWait()) }

        let handled = Collected<(String, Int)>()
        let server = try startServer(parallelism: 4) { command in
            let key = command.payload["key"]?.stringValue ?? ""
            let index = Int(command.payload["index"]?.doubleValue ?? -1)
            Thread.sleep(forTimeInterval: 0.002)
            handled.append((key, index))
            return ReplyEnvelope(commandID: command.id, correlationID: command.correlationID, outcome: .accepted)
        }
        defer { XCTAssertNil(server.stopAndWait()) }

        XCTAssertTrue(waitUntil { received.count >= sent.count }, "replies: \(received.count) of \(sent.count)")
        XCTAssertEqual(Set(received.all.map(\.commandID)), Set(sent.keys))
        for key in keys {
            XCTAssertEqual(handled.all.filter { $0.0 == key }.map(\.1), Array(0..<10), "order of \(key)")
        }
    }
}
