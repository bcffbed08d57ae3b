import DRODSCore

/// Next step of a consumer for its current message, after one handler call.
enum MessageHandlingAction: Equatable {
    /// The handler succeeded: store the offset so that the next commit includes it.
    case storeOffset
    /// The message can never be processed: publish it to the dead-letter topic, then store the
    /// offset.
    case deadLetter(reason: String)
    /// The message can never be processed and there is no dead-letter topic (a reader without a
    /// group): log it and go on.
    case skip(reason: String)
    /// The handler failed with a retriable error: wait `delay` seconds, then call it again with
    /// the same message. `attempt` counts the failed calls so far.
    case retry(attempt: Int, delay: Double)
}

/// The decisions a consumer makes for one message, kept apart from the I/O so that tests can
/// check them directly. A new state is made for each message.
struct MessageHandlingState {
    let backoff: RetryPolicy
    let deadLetterEnabled: Bool
    private(set) var failedAttempts = 0

    init(backoff: RetryPolicy, deadLetterEnabled: Bool) {
        self.backoff = backoff
        self.deadLetterEnabled = deadLetterEnabled
    }

    func handlerReturned() -> MessageHandlingAction {
        .storeOffset
    }

    /// Moves a message on only for `UndecodableMessageError`, because skipping a message would
    /// lose it. Every other error retries the message after a delay that grows per `backoff`.
    mutating func handlerThrew(_ error: any Error) -> MessageHandlingAction {
        if let undecodable = error as? UndecodableMessageError {
            return deadLetterEnabled
                ? .deadLetter(reason: undecodable.reason)
                : .skip(reason: undecodable.reason)
        }
        failedAttempts += 1
        return .retry(attempt: failedAttempts, delay: backoff.delay(afterAttempt: failedAttempts))
    }
}
