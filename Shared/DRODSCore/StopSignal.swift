import Foundation

/// A one-way latch that long-running loops check and wait on, so that SIGTERM or a test's
/// `stop()` ends every loop promptly instead of after its next sleep.
public final class StopSignal: @unchecked Sendable {
    private let condition = NSCondition()
    private var stopped = false

    public init() {}

    public var isStopped: Bool {
        condition.lock()
        defer { condition.unlock() }
        return stopped
    }

    public func stop() {
        condition.lock()
        stopped = true
        condition.broadcast()
        condition.unlock()
    }

    /// Sleeps up to `seconds`; returns `true` if the signal was raised before or during the wait.
    @discardableResult
    public func wait(seconds: Double) -> Bool {
        let deadline = Date(timeIntervalSinceNow: max(0, seconds))
        condition.lock()
        defer { condition.unlock() }
        while !stopped {
            if !condition.wait(until: deadline) { break }
        }
        return stopped
    }

    /// Blocks until the signal is raised.
    public func wait() {
        condition.lock()
        defer { condition.unlock() }
        while !stopped { condition.wait() }
    }
}
