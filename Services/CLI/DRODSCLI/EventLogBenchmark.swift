import DRODSCore
import DRODSEventStore
import DRODSHistory
import DRODSMessaging
import Foundation

/// `drods bench eventlog`. Phase one appends events in batches from several writers as fast
/// as they go and measures each append. Phase two appends single events at a fixed rate with
/// the relay running and a Kafka consumer reading the event topics, and measures the time
/// from the append call to the consumer receiving the event.
enum EventLogBenchmark {
    struct Settings {
        var events = 200_000
        var batch = 100
        var writers = 4
        var rate = 1_000
        var seconds = 10.0
        var postgresURL: String?
        var kafkaBrokers: String?
    }

    static func run(_ words: [String], logger: Logger) throws -> Int32 {
        let arguments = try Arguments(words, valueOptions: [
            "events", "batch", "writers", "rate", "seconds", "postgres", "kafka",
        ])
        var settings = Settings()
        settings.events = try arguments.int("events", default: settings.events, range: 1...100_000_000)
        settings.batch = try arguments.int("batch", default: settings.batch, range: 1...10_000)
        settings.writers = try arguments.int("writers", default: settings.writers, range: 1...64)
        settings.rate = try arguments.int("rate", default: settings.rate, range: 1...100_000)
        settings.seconds = try arguments.double("seconds", default: settings.seconds, range: 1...3_600)
        settings.postgresURL = arguments.options["postgres"]
        settings.kafkaBrokers = arguments.options["kafka"]

        let quiet = Logger(service: "bench", level: .warning)
        let environment = try BenchEnvironment(postgresURL: settings.postgresURL,
                                               kafkaBrokers: settings.kafkaBrokers, logger: quiet)
        defer { environment.close() }

        print("event log benchmark: \(settings.events) events in batches of \(settings.batch), "
              + "\(settings.writers) writers; PostgreSQL \(environment.postgresDescription)")
        let append = try measureAppends(settings, url: environment.postgresURL)
        print(String(format: "append: %.0f events/s, batch latency p50 %.2f ms, p99 %.2f ms",
                     append.eventsPerSecond, append.p50, append.p99))

        print("append-to-consumer latency at \(settings.rate) events/s for \(Int(settings.seconds)) s "
              + "(relay and consumer over \(environment.kafkaBrokers))")
        let delivery = try measureDelivery(settings, environment: environment, logger: quiet)
        print(String(format: "single-event appends: p50 %.2f ms, p99 %.2f ms",
                     delivery.appendP50, delivery.appendP99))
        print(String(format: "consumer: %d of %d events received, latency p50 %.2f ms, p99 %.2f ms",
                     delivery.received, delivery.sent, delivery.p50, delivery.p99))

        let summary: [String: JSONValue] = [
            "benchmark": .string("eventlog"),
            "events": .number(Double(settings.events)),
            "batch_size": .number(Double(settings.batch)),
            "writers": .number(Double(settings.writers)),
            "events_per_s": .number(append.eventsPerSecond.rounded()),
            "append_p50_ms": .number(round2(append.p50)),
            "append_p99_ms": .number(round2(append.p99)),
            "rate_per_s": .number(Double(settings.rate)),
            "consumer_sent": .number(Double(delivery.sent)),
            "consumer_received": .number(Double(delivery.received)),
            "consumer_p50_ms": .number(round2(delivery.p50)),
            "consumer_p99_ms": .number(round2(delivery.p99)),
            "single_append_p50_ms": .number(round2(delivery.appendP50)),
            "single_append_p99_ms": .number(round2(delivery.appendP99)),
        ]
        print(String(decoding: try WireJSON.encode(summary), as: UTF8.self))
        return delivery.received == delivery.sent ? 0 : 1
    }

    // MARK: - Phase one: append throughput

    struct AppendFigures {
        var eventsPerSecond: Double
        var p50: Double
        var p99: Double
    }

    static func measureAppends(_ settings: Settings, url: String) throws -> AppendFigures {
        let pool = ConnectionPool(url: url, maxConnections: settings.writers)
        defer { pool.close() }
        let store = EventStore(pool: pool)
        let batches = (settings.events + settings.batch - 1) / settings.batch
        let latencies = LatencyRecorder()
        let errors = LatencyRecorder()
        let next = Counter()
        let payload = JSONValue.object([
            "cpuMillis": .number(4000), "memoryMiB": .number(8192), "cluster": .string("bench"),
        ])
        let metadata = EventMetadata(actor: "bench", correlationID: "bench")

        let start = MonotonicClock.nanoseconds()
        DispatchQueue.concurrentPerform(iterations: settings.writers) { writer in
            while true {
                let index = next.increment()
                guard index < batches else { return }
                let count = min(settings.batch, settings.events - index * settings.batch)
                let events = (0..<count).map { _ in
                    NewEvent(type: "BenchmarkEvent", data: payload, metadata: metadata)
                }
                let began = MonotonicClock.nanoseconds()
                do {
                    try store.append(to: "bench-\(writer)-\(index)", expected: .noStream, events: events)
                    latencies.add(MonotonicClock.seconds(since: began) * 1000)
                } catch {
                    errors.add(0)
                }
            }
        }
        let elapsed = MonotonicClock.seconds(since: start)
        guard errors.values.isEmpty else {
            throw LauncherError("\(errors.values.count) appends failed during the benchmark")
        }
        let values = latencies.values
        return AppendFigures(eventsPerSecond: Double(settings.events) / elapsed,
                             p50: Percentile.of(values, 50), p99: Percentile.of(values, 99))
    }

    // MARK: - Phase two: append to consumer

    struct DeliveryFigures {
        var sent: Int
        var received: Int
        var p50: Double
        var p99: Double
        /// Latency of the single-event appends themselves, part of the figures above.
        var appendP50: Double
        var appendP99: Double
    }

    static func measureDelivery(_ settings: Settings, environment: BenchEnvironment,
                                logger: Logger) throws -> DeliveryFigures {
        let metrics = MetricsRegistry()
        var kafka = KafkaConfiguration(brokers: environment.kafkaBrokers, clientID: "drods-bench")
        // Latency over batching: send at once, and fetch again soon, because the mock cluster
        // keeps every fetch waiting for the full wait time.
        kafka.lingerMs = 0
        kafka.fetchWaitMaxMs = 5
        let pool = ConnectionPool(url: environment.postgresURL, maxConnections: settings.writers + 2)
        defer { pool.close() }
        let store = EventStore(pool: pool)

        // Let the server finish the throughput phase's background work (statistics, dirty
        // pages) first, so that this phase measures the steady state and not its aftermath.
        // Both need privileges a given server may not grant; the phase runs without them then.
        try pool.withConnection { connection in
            _ = try? connection.query("VACUUM ANALYZE event_log")
            _ = try? connection.query("CHECKPOINT")
        }

        // Start the relay after the throughput phase's events, which are not measured here.
        let head = try pool.withConnection { connection -> LogPosition in
            let all = try connection.query("""
                SELECT tx_id::text AS tx_text, seq FROM event_log
                ORDER BY event_log.tx_id DESC, event_log.seq DESC LIMIT 1
                """)
            guard let row = all.rows.first, let tx = row[0].flatMap(UInt64.init),
                  let seq = row[1].flatMap(Int64.init) else { return .start }
            return LogPosition(transactionID: tx, seq: seq)
        }
        try pool.withConnection { try ProjectionCheckpoints.save(Relay.checkpointName, position: head, on: $0) }

        let producer = try KafkaProducer(configuration: kafka, logger: logger, metrics: metrics)
        defer { producer.close() }
        // The first send waits for the idempotent producer's id from the broker, about a
        // second on the mock cluster. That start-up cost is not part of the measurement.
        _ = try producer.sendAndWait(topic: Topics.events(forStream: "system-bench"), key: "warm-up",
                                     value: Data("{}".utf8), timeout: 30)
        let relay = Relay(pool: pool, producer: producer, postgresURL: environment.postgresURL,
                          logger: logger, metrics: metrics)
        let stopRelay = StopSignal()
        let relayDone = StopSignal()
        Thread {
            relay.run(stop: stopRelay)
            relayDone.stop()
        }.start()

        let topic = Topics.events(forStream: "system-bench")
        let consumer = try KafkaConsumer(configuration: kafka, readerOf: topic, startingAt: .end,
                                         logger: logger, metrics: metrics)
        let sentAt = SendTimes()
        let received = LatencyRecorder()
        let stopConsumer = StopSignal()
        let consumerDone = StopSignal()
        Thread {
            try? consumer.run(stop: stopConsumer) { message in
                guard let eventID = message.headers[EventHeaders.eventID],
                      let began = sentAt.remove(eventID) else { return }
                received.add(MonotonicClock.seconds(since: began) * 1000)
            }
            consumerDone.stop()
        }.start()

        // Several writers share one schedule, so that the rate does not depend on the commit
        // latency of a single connection.
        let total = Int(Double(settings.rate) * settings.seconds)
        let interval = 1.0 / Double(settings.rate)
        let metadata = EventMetadata(actor: "bench", correlationID: "bench-latency")
        let next = Counter()
        let failures = LatencyRecorder()
        let singleAppends = LatencyRecorder()
        let start = MonotonicClock.nanoseconds()
        DispatchQueue.concurrentPerform(iterations: settings.writers) { writer in
            while true {
                let index = next.increment()
                guard index < total else { return }
                let due = start + UInt64(Double(index) * interval * 1e9)
                let now = MonotonicClock.nanoseconds()
                if due > now { usleep(UInt32((due - now) / 1000)) }
                let event = NewEvent(type: "BenchmarkEvent", data: .object(["index": .number(Double(index))]),
                                     metadata: metadata)
                let began = MonotonicClock.nanoseconds()
                // Recorded before the append, since the relay may deliver before it returns.
                sentAt.put(event.id.uuidString.lowercased(), began)
                do {
                    try store.append(to: "system-bench-\(writer)", expected: .any, events: [event])
                    singleAppends.add(MonotonicClock.seconds(since: began) * 1000)
                } catch {
                    failures.add(0)
                }
            }
        }
        guard failures.values.isEmpty else {
            throw LauncherError("\(failures.values.count) appends failed during the latency phase")
        }
        let deadline = Date(timeIntervalSinceNow: 15)
        while received.values.count < total && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        stopConsumer.stop()
        stopRelay.stop()
        consumerDone.wait(seconds: 5)
        relayDone.wait(seconds: 5)
        consumer.close()

        let values = received.values
        return DeliveryFigures(sent: total, received: values.count,
                               p50: Percentile.of(values, 50), p99: Percentile.of(values, 99),
                               appendP50: Percentile.of(singleAppends.values, 50),
                               appendP99: Percentile.of(singleAppends.values, 99))
    }

    static func round2(_ value: Double) -> Double { (value * 100).rounded() / 100 }
}

// MARK: - Helpers

/// Thread-safe list of measurements in milliseconds.
final class LatencyRecorder: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [Double] = []
    func add(_ value: Double) { lock.withLock { storage.append(value) } }
    var values: [Double] { lock.withLock { storage } }
}

final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = -1
    func increment() -> Int { lock.withLock { value += 1; return value } }
}

/// Monotonic send times by event id, removed when the event arrives so that a duplicate
/// delivery is not measured twice.
final class SendTimes: @unchecked Sendable {
    private let lock = NSLock()
    private var times: [String: UInt64] = [:]
    func put(_ eventID: String, _ time: UInt64) { lock.withLock { times[eventID] = time } }
    func remove(_ eventID: String) -> UInt64? { lock.withLock { times.removeValue(forKey: eventID) } }
}
