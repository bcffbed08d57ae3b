import DRODSCore
import DRODSEventStore
import DRODSMessaging
import Foundation

/// The transactional outbox relay: tails the event log and publishes every event to its
/// `drods.events.<category>` topic, keyed by stream id so that each stream stays in order.
///
/// The checkpoint is saved only after Kafka has acknowledged every event of a batch. A crash
/// between publishing and saving makes the next leader publish those events again; consumers
/// dedupe by `seq`. No event is lost, because the relay only moves its checkpoint past events
/// that Kafka acknowledged and the log keeps every event.
public final class Relay: Sendable {
    /// Checkpoint name in `projection_checkpoints`.
    public static let checkpointName = "relay:kafka"

    private let pool: ConnectionPool
    private let producer: KafkaProducer
    private let postgresURL: String
    private let batchSize: Int
    /// Seconds to wait for Kafka to acknowledge a batch before it is retried.
    private let deliveryTimeout: Double
    private let logger: Logger
    private let metrics: MetricsRegistry

    public init(pool: ConnectionPool, producer: KafkaProducer, postgresURL: String, batchSize: Int = 500,
                deliveryTimeout: Double = 30, logger: Logger, metrics: MetricsRegistry) {
        self.pool = pool
        self.producer = producer
        self.postgresURL = postgresURL
        self.batchSize = batchSize
        self.deliveryTimeout = deliveryTimeout
        self.logger = logger.with([.component: "relay"])
        self.metrics = metrics
    }

    /// Publishes until `stop` is raised; called while this instance holds the relay lock.
    public func run(stop: StopSignal) {
        let start: LogPosition
        do {
            start = try pool.withConnection { try ProjectionCheckpoints.load(Self.checkpointName, on: $0) }
        } catch {
            logger.error("cannot read the relay checkpoint", [.error: String(describing: error)])
            stop.wait(seconds: 1)
            return
        }
        logger.info("relay publishing", ["from": start.description])
        let tailer = LogTailer(url: postgresURL, batchSize: batchSize, logger: logger)
        tailer.run(from: start, stop: stop) { batch in
            try publish(batch)
            let last = batch.last!.position
            try saveCheckpoint(last)
            metrics.increment("drods_relay_events_published_total", help: "Events the relay published to Kafka.",
                              by: Double(batch.count))
            metrics.set("drods_relay_last_seq", help: "Sequence number of the last event published.",
                        to: Double(last.seq))
            return last
        }
    }

    /// Saves the position without waiting for the WAL flush. A checkpoint lost in a server
    /// crash only makes the relay publish some events again, which consumers tolerate. The
    /// relay saves one checkpoint per batch, so a flush each time would bound its rate.
    private func saveCheckpoint(_ position: LogPosition) throws {
        try pool.withConnection { connection in
            try connection.transaction { transaction in
                try transaction.query("SET LOCAL synchronous_commit = off")
                try ProjectionCheckpoints.save(Self.checkpointName, position: position, on: transaction)
            }
        }
    }

    /// Sends every event of the batch and waits until Kafka acknowledged all of them. Throws
    /// if any delivery failed, so that the tailer hands the batch over again.
    func publish(_ batch: [StoredEvent]) throws {
        let pending = DeliveryLatch(count: batch.count)
        for event in batch {
            let value = Self.encode(event)
            producer.send(topic: Topics.events(forStream: event.streamID), key: event.streamID,
                          value: value, headers: [
                              EventHeaders.seq: String(event.seq),
                              EventHeaders.eventID: event.id.uuidString.lowercased(),
                              EventHeaders.eventType: event.type,
                              EventHeaders.streamVersion: String(event.streamVersion),
                          ]) { result in
                pending.complete(result.map { _ in () })
            }
        }
        try pending.wait(timeout: deliveryTimeout)
    }

    /// Encodes the published form without decoding the stored JSON: `data` and `metadata`
    /// are already valid JSON text from PostgreSQL.
    static func encode(_ event: StoredEvent) -> Data {
        var text = "{\"seq\":\(event.seq)"
        text += ",\"eventID\":\"\(event.id.uuidString.lowercased())\""
        text += ",\"streamID\":" + JSONString.quote(event.streamID)
        text += ",\"streamVersion\":\(event.streamVersion)"
        text += ",\"type\":" + JSONString.quote(event.type)
        text += ",\"schemaVersion\":\(event.schemaVersion)"
        text += ",\"recordedAt\":" + JSONString.quote(event.recordedAt)
        text += ",\"data\":" + event.data
        text += ",\"metadata\":" + event.metadata + "}"
        return Data(text.utf8)
    }
}

/// Counts delivery reports of one batch down to zero, remembering the first failure.
final class DeliveryLatch: @unchecked Sendable {
    private let condition = NSCondition()
    private var remaining: Int
    private var failure: Error?

    init(count: Int) { remaining = count }

    func complete(_ result: Result<Void, some Error>) {
        condition.lock()
        if case .failure(let error) = result, failure == nil { failure = error }
        remaining -= 1
        condition.broadcast()
        condition.unlock()
    }

    func wait(timeout: Double) throws {
        let deadline = Date(timeIntervalSinceNow: timeout)
        condition.lock()
        defer { condition.unlock() }
        while remaining > 0 {
            if !condition.wait(until: deadline) {
                throw RelayError("Kafka did not acknowledge \(remaining) events within \(timeout) s")
            }
        }
        if let failure { throw failure }
    }
}

struct RelayError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
