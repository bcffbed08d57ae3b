import DRODSCore
@testable import DRODSMessaging
import XCTest

final class MessageHandlingStateTests: XCTestCase {
    private let backoff = RetryPolicy(attempts: .max, initialDelay: 0.1, maxDelay: 0.4)

    func testSuccessStoresOffset() {
        let state = MessageHandlingState(backoff: backoff, deadLetterEnabled: true)

        XCTAssertEqual(state.handlerReturned(), .storeOffset)
    }

    func testRetriableErrorsBackOffUpToMaximum() {
        var state = MessageHandlingState(backoff: backoff, deadLetterEnabled: true)
        let error = KafkaError(code: .timedOut, message: "down")

        let actions = (0..<4).map { _ in state.handlerThrew(error) }

        XCTAssertEqual(actions, [
            .retry(attempt: 1, delay: 0.1),
            .retry(attempt: 2, delay: 0.2),
            .retry(attempt: 3, delay: 0.4),
            .retry(attempt: 4, delay: 0.4),
        ])
    }

    func testUndecodableMessageIsDeadLetteredInGroup() {
        var state = MessageHandlingState(backoff: backoff, deadLetterEnabled: true)

        XCTAssertEqual(state.handlerThrew(UndecodableMessageError(reason: "bad json")),
                       .deadLetter(reason: "bad json"))
    }

    func testUndecodableMessageIsSkippedByReader() {
        var state = MessageHandlingState(backoff: backoff, deadLetterEnabled: false)

        XCTAssertEqual(state.handlerThrew(UndecodableMessageError(reason: "bad json")),
                       .skip(reason: "bad json"))
    }

    func testUndecodableAfterRetriesStillDeadLetters() {
        var state = MessageHandlingState(backoff: backoff, deadLetterEnabled: true)
        _ = state.handlerThrew(KafkaError(code: .timedOut, message: "down"))

        XCTAssertEqual(state.handlerThrew(UndecodableMessageError(reason: "late")),
                       .deadLetter(reason: "late"))
        XCTAssertEqual(state.failedAttempts, 1)
    }
}
