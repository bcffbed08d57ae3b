import Foundation

/// Waits for the delivery reports of a known number of messages.
final class DeliveryCounter: @unchecked Sendable {
    private let condition = NSCondition()
    private var remaining: Int
    private var failure: KafkaError?

    init(expected: Int) {
        remaining = expected
    }

    func record(_ result: Result<DeliveryReport, KafkaError>) {
        condition.withLock {
            if case .failure(let error) = result, failure == nil { failure = error }
            remaining -= 1
            condition.broadcast()
        }
    }

    /// - Throws: the first delivery error, or `KafkaError` with `.timedOut` when reports are
    ///   still missing after `timeout` seconds.
    func wait(timeout: Double) throws {
        let deadline = Date(timeIntervalSinceNow: timeout)
        try condition.withLock {
            while remaining > 0 {
                if !condition.wait(until: deadline) { break }
            }
            if let failure { throw failure }
            if remaining > 0 {
                throw KafkaError(code: .timedOut,
                                 message: "\(remaining) messages not confirmed within \(timeout) s",
                                 isRetriable: true)
            }
        }
    }
}
