import DRODSCore
import DRODSEventStore
import DRODSMessaging
import DRODSTestSupport
import Foundation
import XCTest

final class CommandHandlingTests: XCTestCase {
    /// A command type the owner does not handle gets a rejection, not silence. Sending the
    /// same command id again returns the stored reply and records the command once.
    func testOwnerRepliesOnceAndDedupesRedeliveredCommand() throws {
        let environment = try serviceEnvironment()
        let controller = try ServiceUnderTest("drods-controller", environment: environment)
        XCTAssertTrue(controller.waitUntilReady(), controller.log)
        defer {
            controller.signal(SIGTERM)
            _ = controller.waitForExit(timeout: 20)
        }

        let client = try CommandClient(configuration: KafkaConfiguration(brokers: environment["DRODS_KAFKA_BROKERS"]!,
                                                                         clientID: "test-gateway"),
                                       logger: TestPostgres.quietLogger)
        defer { client.close() }
        let command = CommandEnvelope(correlationID: "corr-\(UUID().uuidString)", type: "ReticulateSplines",
                                      actor: "tester", replyTopic: Topics.replies, payload: .object([:]))

        let first = try client.send(command, to: Topics.commandsController, timeout: 30)
        XCTAssertEqual(first.outcome, .rejected)
        XCTAssertEqual(first.code, "UNSUPPORTED_COMMAND")
        XCTAssertEqual(first.commandID, command.id)

        let again = try client.send(command, to: Topics.commandsController, timeout: 30)
        XCTAssertEqual(again, first)

        let connection = try PQConnection(url: environment["DRODS_POSTGRES_URL"]!)
        defer { connection.close() }
        XCTAssertEqual(try connection.query("SELECT count(*) FROM processed_commands WHERE command_id = $1",
                                            [command.id]).scalar, "1")
    }
}
