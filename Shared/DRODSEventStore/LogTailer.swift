import DRODSCore
import Foundation

/// Follows the event log from a position: reads what is safe to read, then sleeps until an
/// append's notification arrives. Uses a connection of its own that LISTENs on the log's
/// channel, so it never polls an idle log.
public final class LogTailer: @unchecked Sendable {
    public let url: String
    public let batchSize: Int
    /// Upper bound of a wait without notification, in seconds. A notification is lost only
    /// with the connection, and the tailer reconnects then, so this is a safety net.
    public var idleWait: Double = 5
    /// Wait while events past the tail position exist that a read has not returned yet,
    /// because an older transaction is still running or they committed after the read.
    public var horizonWait: Double = 0.005
    /// SQL condition on `event_log`'s columns that selects the events whose data this tailer
    /// reads. The other events arrive with `data` set to `null`, and nil reads every event's
    /// data.
    public let dataCondition: String?

    private let logger: Logger
    private var connection: PQConnection?

    public init(url: String, batchSize: Int = 500, dataCondition: String? = nil, logger: Logger) {
        self.url = url
        self.batchSize = batchSize
        self.dataCondition = dataCondition
        self.logger = logger
    }

    /// Delivers batches in tail order to `handle`, starting after `position`, until `stop` is
    /// raised. `handle` returns the position to continue from; a batch is redelivered from that
    /// position when `handle` throws, after a back-off.
    public func run(from position: LogPosition, stop: StopSignal,
                    handle: ([StoredEvent]) throws -> LogPosition) {
        var current = position
        var failures = 0
        while !stop.isStopped {
            do {
                let connection = try listeningConnection()
                let batch = try EventStore.readAll(on: connection, after: current, limit: batchSize,
                                                   dataCondition: dataCondition)
                if !batch.isEmpty {
                    current = try handle(batch)
                    failures = 0
                    if batch.count == batchSize { continue }
                }
                // Asked about `current`, not about the horizon: a horizon read in a later
                // snapshot than the read above may already have passed an event the read
                // could not return, and that event's notification has been consumed.
                let pending = try EventStore.hasEvents(after: current, on: connection)
                try waitForNotification(on: connection, seconds: pending ? horizonWait : idleWait,
                                        stop: stop)
                failures = 0
            } catch {
                failures += 1
                if let postgres = error as? PostgresError, postgres.isConnectionFailure {
                    connection?.close()
                    connection = nil
                }
                let delay = min(5.0, 0.1 * pow(2, Double(min(failures, 6))))
                logger.warning("event log tailing failed, retrying", [
                    .error: String(describing: error), .attempt: String(failures),
                    "retry.delay.s": String(format: "%.1f", delay),
                ])
                stop.wait(seconds: delay)
            }
        }
        connection?.close()
        connection = nil
    }

    // MARK: - Listening

    private func listeningConnection() throws -> PQConnection {
        if let connection, connection.isHealthy { return connection }
        connection?.close()
        let fresh = try PQConnection(url: url)
        try fresh.query("LISTEN \(EventStore.notificationChannel)")
        connection = fresh
        return fresh
    }

    /// Waits on the connection's socket for a notification, up to `seconds`, waking every
    /// 100 ms to check `stop`.
    private func waitForNotification(on connection: PQConnection, seconds: Double,
                                     stop: StopSignal) throws {
        let deadline = MonotonicClock.nanoseconds() + UInt64(seconds * 1e9)
        while !stop.isStopped {
            let now = MonotonicClock.nanoseconds()
            guard now < deadline else { return }
            let slice = min(100, Int32((deadline - now) / 1_000_000) + 1)
            if try !connection.awaitNotifications(milliseconds: slice).isEmpty { return }
        }
    }
}
