import Foundation

/// A bounded retry schedule for reaching a dependency at start: `attempts` tries, the delay
/// doubling from `initialDelay` up to `maxDelay` (seconds).
public struct RetryPolicy: Sendable {
    public var attempts: Int
    public var initialDelay: Double
    public var maxDelay: Double

    public init(attempts: Int, initialDelay: Double, maxDelay: Double) {
        self.attempts = attempts
        self.initialDelay = initialDelay
        self.maxDelay = maxDelay
    }

    public func delay(afterAttempt attempt: Int) -> Double {
        min(maxDelay, initialDelay * pow(2, Double(max(0, attempt - 1))))
    }
}

/// Raised when a dependency stayed unreachable for every attempt, or the stop signal ended the
/// wait.
public struct RetryExhaustedError: Error, CustomStringConvertible, Sendable {
    public let what: String
    public let attempts: Int
    public let lastError: String
    public let stopped: Bool

    public var description: String {
        stopped
            ? "stopped while waiting for \(what)"
            : "\(what) unreachable after \(attempts) attempts: \(lastError)"
    }
}

extension RetryPolicy {
    /// Runs `body` until it succeeds, logging each failed attempt with the error and the next
    /// delay. Stops early, without another attempt, when `stop` is raised.
    public func run<T>(_ what: String, logger: Logger, stop: StopSignal,
                       _ body: () throws -> T) throws -> T {
        var lastError = ""
        for attempt in 1...max(1, attempts) {
            if stop.isStopped {
                throw RetryExhaustedError(what: what, attempts: attempt - 1, lastError: lastError,
                                          stopped: true)
            }
            do {
                return try body()
            } catch {
                lastError = String(describing: error)
                guard attempt < attempts else { break }
                let delay = self.delay(afterAttempt: attempt)
                logger.warning("waiting for \(what)", [
                    .attempt: "\(attempt)/\(attempts)", .error: lastError,
                    "retry.delay.s": String(format: "%.1f", delay),
                ])
                if stop.wait(seconds: delay) {
                    throw RetryExhaustedError(what: what, attempts: attempt, lastError: lastError,
                                              stopped: true)
                }
            }
        }
        throw RetryExhaustedError(what: what, attempts: attempts, lastError: lastError,
                                  stopped: false)
    }
}
