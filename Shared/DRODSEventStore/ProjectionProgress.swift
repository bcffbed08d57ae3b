import DRODSCore
import Foundation

/// What this process knows of the projections' checkpoints, for many threads at once.
///
/// While `listen` runs and its connection is up, the checkpoints are read once per projection
/// commit (each commit notifies `channel`), so a thread can learn the current position of a
/// read model without a query of its own. Without the listener, a thread that waits for a
/// position reads every checkpoint with one query on behalf of all waiting threads, at most
/// once per `pollInterval`.
public final class ProjectionProgress: @unchecked Sendable {
    /// The channel a projection notifies when it commits.
    public static let channel = "drods_projections"

    private let pool: ConnectionPool
    /// Seconds between two reads of the checkpoints while someone waits without a listener.
    private let pollInterval: Double
    private let condition = NSCondition()
    private var known: [String: LogPosition] = [:]
    /// True while the listener is connected and has read the checkpoints since it connected.
    private var listening = false
    private var reading = false
    /// Monotonic nanoseconds of the last poll's start.
    private var lastRead: UInt64 = 0

    public init(pool: ConnectionPool, pollInterval: Double = 0.001) {
        self.pool = pool
        self.pollInterval = pollInterval
    }

    /// The position projection `name` has reached, or nil when no listener is connected and
    /// so the caller must read the checkpoint itself.
    public func current(_ name: String) -> LogPosition? {
        condition.withLock { listening ? known[name] ?? .start : nil }
    }

    /// Returns true once projection `name` has reached `position`, or false after `timeout`
    /// seconds.
    public func wait(for name: String, toReach position: LogPosition, timeout: Double) -> Bool {
        let deadline = MonotonicClock.nanoseconds() + UInt64(max(0, timeout) * 1e9)
        condition.lock()
        defer { condition.unlock() }
        while true {
            if let reached = known[name], reached >= position { return true }
            let now = MonotonicClock.nanoseconds()
            if now >= deadline { return false }
            if listening || reading {
                // Bounded, so that a listener that fails meanwhile hands over to polling.
                let slice = min(deadline - now, 20_000_000)
                _ = condition.wait(until: Date(timeIntervalSinceNow: Double(slice) / 1e9))
                continue
            }
            reading = true
            let due = lastRead + UInt64(pollInterval * 1e9)
            condition.unlock()
            if now < due { usleep(UInt32((due - now) / 1000)) }
            let started = MonotonicClock.nanoseconds()
            let positions = try? pool.withConnection(Self.readAll)
            condition.lock()
            lastRead = started
            reading = false
            // Replaced, not merged: a projection being rebuilt has moved back.
            if let positions { known = positions }
            condition.broadcast()
        }
    }

    /// Follows the checkpoints on a connection of its own until `stop`, reconnecting after a
    /// failure. Blocks the calling thread.
    public func listen(url: String, stop: StopSignal, logger: Logger) {
        var failures = 0
        while !stop.isStopped {
            do {
                let connection = try PQConnection(url: url)
                defer { connection.close() }
                try connection.query("LISTEN \(Self.channel)")
                // Read after LISTEN, so that no commit falls between the read and the first
                // notification.
                update(try Self.readAll(on: connection), listening: true)
                failures = 0
                while !stop.isStopped {
                    if try !connection.awaitNotifications(milliseconds: 100).isEmpty {
                        update(try Self.readAll(on: connection), listening: true)
                    }
                }
            } catch {
                condition.withLock { listening = false }
                failures += 1
                let delay = min(5.0, 0.1 * pow(2, Double(min(failures, 6))))
                logger.warning("following projection checkpoints failed; reads query them until it recovers", [
                    .error: String(describing: error), .attempt: String(failures),
                    "retry.delay.s": String(format: "%.1f", delay),
                ])
                stop.wait(seconds: delay)
            }
        }
        condition.withLock { listening = false }
    }

    private func update(_ positions: [String: LogPosition], listening: Bool) {
        condition.withLock {
            known = positions
            self.listening = listening
            condition.broadcast()
        }
    }

    private static func readAll(on connection: PQConnection) throws -> [String: LogPosition] {
        let result = try connection.preparedQuery("SELECT name, tx_id::text, seq FROM projection_checkpoints")
        var positions: [String: LogPosition] = [:]
        for row in result.rows {
            guard let name = row[0], let tx = row[1].flatMap(UInt64.init),
                  let seq = row[2].flatMap(Int64.init) else { continue }
            positions[name] = LogPosition(transactionID: tx, seq: seq)
        }
        return positions
    }
}
