import CRDKafka
import DRODSCore
import Foundation

/// A dedicated thread that calls `rd_kafka_poll` so that delivery reports and librdkafka's
/// callbacks are served off Swift's cooperative thread pool.
///
/// `@unchecked Sendable`: the stop latch and the semaphore are thread-safe, and the state flag
/// is guarded by `lock`.
final class RDKafkaPollThread: @unchecked Sendable {
    private let stopSignal = StopSignal()
    private let finished = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var stopped = false

    /// Starts polling `handle` every `interval` seconds at most. The caller must keep `handle`
    /// alive until `stopAndWait()` has returned, because the thread holds only its pointer:
    /// holding the handle itself would let the thread, not the owner, run `rd_kafka_destroy`.
    init(name: String, handle: RDKafkaHandle, interval: Double = 0.1) {
        nonisolated(unsafe) let pointer = handle.pointer
        let timeout = RDKafkaHandle.milliseconds(interval)
        let thread = Thread { [stopSignal, finished] in
            while !stopSignal.isStopped {
                rd_kafka_poll(pointer, timeout)
            }
            finished.signal()
        }
        thread.name = name
        thread.start()
    }

    /// Stops the loop and waits until the thread has made its last `rd_kafka_poll` call, so the
    /// handle can be destroyed. Later calls return at once.
    func stopAndWait() {
        let first = lock.withLock {
            defer { stopped = true }
            return !stopped
        }
        guard first else { return }
        stopSignal.stop()
        finished.wait()
    }
}
