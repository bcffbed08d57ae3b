import DRODSCore
import DRODSEventStore
import DRODSRuntime
import DRODSScheduler
import DRODSTestSupport
import Foundation
import XCTest

/// The batch path of `CommandProcessor` with the scheduler's `CreateBinding` handler against
/// a real database.
final class CommandBatchTests: XCTestCase {
    private func makeProcessor() throws -> (CommandProcessor, ConnectionPool) {
        let pool = ConnectionPool(url: try TestPostgres.freshDatabase(), maxConnections: 2)
        let processor = CommandProcessor(owner: "scheduler", handlers: SchedulerService.handlers, pool: pool,
                                         logger: TestPostgres.quietLogger)
        return (processor, pool)
    }

    private func createBinding(_ id: String? = nil, cpu: String = "100m") -> CommandEnvelope {
        var payload: [String: JSONValue] = [
            "request": .object(["requirements": .object(["cpu": .string(cpu), "memory": .string("64Mi")]),
                                "replicas": .number(1)]),
        ]
        if let id { payload["bindingId"] = .string(id) }
        return CommandEnvelope(correlationID: "corr-\(UUID().uuidString)", type: "CreateBinding", actor: "tester",
                               replyTopic: Topics.replies, payload: .object(payload))
    }

    private func count(_ sql: String, _ pool: ConnectionPool) throws -> String? {
        try pool.withConnection { try $0.query(sql).scalar }
    }

    func testBatchAppliesEveryCommandOnce() throws {
        let (processor, pool) = try makeProcessor()
        defer { pool.close() }
        let commands = [createBinding(), createBinding(), createBinding(cpu: "not-a-quantity")]

        let replies = processor.process(batch: commands.map { [$0] })

        XCTAssertEqual(replies.count, 3)
        XCTAssertEqual(replies[commands[0].id]?.outcome, .accepted)
        XCTAssertEqual(replies[commands[1].id]?.outcome, .accepted)
        XCTAssertEqual(replies[commands[2].id]?.outcome, .rejected)
        XCTAssertEqual(replies[commands[2].id]?.code, "VALIDATION_FAILED")
        XCTAssertNotNil(replies[commands[0].id]?.sequence)
        XCTAssertEqual(try count("SELECT count(*) FROM event_log WHERE type = 'BindingRequested'", pool), "2")
        XCTAssertEqual(try count("SELECT count(*) FROM processed_commands", pool), "3")
    }

    func testRedeliveredBatchReturnsStoredReplies() throws {
        let (processor, pool) = try makeProcessor()
        defer { pool.close() }
        let commands = [createBinding(), createBinding()]

        let first = processor.process(batch: commands.map { [$0] })
        let again = processor.process(batch: commands.map { [$0] })

        XCTAssertEqual(again, first)
        XCTAssertEqual(try count("SELECT count(*) FROM event_log", pool), "2")
        XCTAssertEqual(try count("SELECT count(*) FROM processed_commands", pool), "2")
    }

    /// Two creates of one binding id cannot share a statement, so the batch writes nothing.
    /// The single-command path then accepts the first and rejects the second.
    func testSameStreamTwiceFallsBackToSingleCommands() throws {
        let (processor, pool) = try makeProcessor()
        defer { pool.close() }
        let commands = [createBinding("same-id"), createBinding("same-id")]

        let replies = processor.process(batch: [commands])

        XCTAssertTrue(replies.isEmpty)
        XCTAssertEqual(try count("SELECT count(*) FROM event_log", pool), "0")
        XCTAssertEqual(try processor.process(commands[0]).outcome, .accepted)
        XCTAssertEqual(try processor.process(commands[1]).code, "BINDING_ALREADY_EXISTS")
    }

    /// A binding id taken before the batch makes the multi-stream append fail as a whole, so
    /// nothing of the batch is written.
    func testTakenIdRollsBackTheBatch() throws {
        let (processor, pool) = try makeProcessor()
        defer { pool.close() }
        XCTAssertEqual(try processor.process(createBinding("taken")).outcome, .accepted)

        let replies = processor.process(batch: [[createBinding()], [createBinding("taken")]])

        XCTAssertTrue(replies.isEmpty)
        XCTAssertEqual(try count("SELECT count(*) FROM event_log", pool), "1")
        XCTAssertEqual(try count("SELECT count(*) FROM processed_commands", pool), "1")
    }
}
