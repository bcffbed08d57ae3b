import DRODSCore
import Foundation

/// Timeouts for messages sent with `KafkaProducer.send(timeout:)`, served by one thread.
///
/// A Dispatch timer per message cost a timer registration and a thread wake-up per message,
/// which `perf` put at about 12 % of one core under `drods bench metrics`. Here each timeout length has a FIFO
/// queue, and because every entry of a queue has the same length, the queue is ordered by
/// deadline. The thread sleeps until the earliest deadline of all queues.
///
/// `@unchecked Sendable`: every field is read and written with `condition` locked.
final class DeliveryDeadlines: @unchecked Sendable {
    private struct Entry {
        let deadline: UInt64
        let expire: @Sendable () -> Void
    }

    /// Entries of one timeout length, oldest first. `head` is the index of the oldest entry
    /// still queued, so that taking one does not shift the array.
    private struct Queue {
        var entries: [Entry] = []
        var head = 0

        var first: Entry? { head < entries.count ? entries[head] : nil }

        mutating func removeFirst() {
            head += 1
            // Drop the taken entries once they are half of the storage.
            if head >= 1024, head * 2 >= entries.count {
                entries.removeFirst(head)
                head = 0
            }
        }
    }

    private let condition = NSCondition()
    private var queues: [UInt64: Queue] = [:]
    private var threadStarted = false
    private var stopped = false
    private let name: String

    init(name: String) {
        self.name = name
    }

    /// Calls `expire` on the deadline thread once `seconds` have passed, unless `stop()` ran
    /// first. `expire` must return quickly, because it delays the other deadlines.
    func schedule(after seconds: Double, _ expire: @escaping @Sendable () -> Void) {
        let length = UInt64(max(0, seconds) * 1e9)
        let entry = Entry(deadline: MonotonicClock.nanoseconds() + length, expire: expire)
        condition.lock()
        defer { condition.unlock() }
        guard !stopped else { return }
        if !threadStarted {
            threadStarted = true
            let thread = Thread { [self] in run() }
            thread.name = name
            thread.start()
        }
        let wasEmpty = queues[length]?.first == nil
        queues[length, default: Queue()].entries.append(entry)
        // A new entry can only be the earliest deadline when its queue was empty.
        if wasEmpty { condition.signal() }
    }

    /// Stops the thread and drops the pending deadlines without calling them.
    func stop() {
        condition.lock()
        stopped = true
        queues.removeAll()
        condition.signal()
        condition.unlock()
    }

    private func run() {
        while true {
            var expired: [Entry] = []
            condition.lock()
            while expired.isEmpty {
                if stopped {
                    condition.unlock()
                    return
                }
                let now = MonotonicClock.nanoseconds()
                for length in Array(queues.keys) {
                    while let first = queues[length]?.first, first.deadline <= now {
                        expired.append(first)
                        queues[length]?.removeFirst()
                    }
                }
                guard expired.isEmpty else { break }
                let earliest = queues.values.compactMap { $0.first?.deadline }.min()
                if let earliest {
                    let wait = Double(earliest - now) / 1e9
                    _ = condition.wait(until: Date(timeIntervalSinceNow: wait))
                } else {
                    condition.wait()
                }
            }
            condition.unlock()
            for entry in expired { entry.expire() }
        }
    }
}
