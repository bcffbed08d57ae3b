import Foundation

/// Count of requests between their first access-handler call and their completion callback,
/// so that `stop()` can wait for them to finish.
final class InFlightRequests: @unchecked Sendable {
    // Safe to share because every access to `count` happens with `condition` locked.
    private let condition = NSCondition()
    private var count = 0

    func begin() {
        condition.lock()
        count += 1
        condition.unlock()
    }

    func end() {
        condition.lock()
        count -= 1
        if count == 0 { condition.broadcast() }
        condition.unlock()
    }

    var current: Int {
        condition.lock()
        defer { condition.unlock() }
        return count
    }

    /// Blocks until no request is in flight or `seconds` have passed; returns whether the
    /// count reached zero.
    func waitUntilIdle(seconds: Double) -> Bool {
        let deadline = Date(timeIntervalSinceNow: max(0, seconds))
        condition.lock()
        defer { condition.unlock() }
        while count > 0 {
            if !condition.wait(until: deadline) { break }
        }
        return count == 0
    }
}
