import CRDKafka
import DRODSCore
import Foundation

/// A Kafka consumer in one of two modes.
///
/// - A **group member** shares the partitions of its topics with the other members of the
///   group. Offsets are stored only after the handler has finished with a message and are
///   committed every `auto.commit.interval.ms` (5 s by default) and on stop, so after a crash
///   or rebalance messages are redelivered, never skipped.
/// - A **reader** is assigned every partition of one topic, starting at a given position, and
///   commits nothing. Every reader sees every message.
///
/// `run` blocks the calling thread, so give it a thread of its own rather than a task on
/// Swift's cooperative pool. A consumer runs once: `run` closes it when it returns.
///
/// `@unchecked Sendable`: the librdkafka handle is used by the thread in `run` only, and the
/// lifecycle state is guarded by `lifecycle`.
public final class KafkaConsumer: @unchecked Sendable {
    /// Start position of a reader, the same in every partition.
    public enum StartPosition: Sendable, Equatable {
        case beginning
        /// The offset the next message will get, read when the consumer is created, so that
        /// every message produced after `init` returns is seen.
        case end
        case offset(Int64)
    }

    /// Start position of a new group in a partition that has no committed offset.
    public enum OffsetReset: String, Sendable {
        case earliest
        case latest
    }

    private enum Lifecycle {
        case ready
        case running(StopSignal)
        case closed
    }

    /// librdkafka's poll timeout; bounds how long `run` takes to notice its stop signal.
    private static let pollTimeout: Int32 = 100
    /// How long a dead-letter publish may wait for its delivery report.
    private static let deadLetterTimeout = 30.0

    private let logger: Logger
    private let metrics: MessagingMetrics
    private let retryBackoff: RetryPolicy
    /// Nil for readers, which commit nothing and so cannot dead-letter a message.
    private let deadLetter: DeadLetterPublisher?
    private let lifecycle = NSCondition()
    private var state = Lifecycle.ready
    /// Nil once closed; dropping it destroys the client.
    private var handle: RDKafkaHandle?

    // MARK: - Creating

    /// Joins consumer group `groupID` and subscribes to `topics`.
    /// - Parameters:
    ///   - deadLetterTopic: where undecodable messages go (`Topics.deadLetter` by default).
    ///   - deadLetterProducer: producer for dead letters. When nil the consumer creates its own
    ///     and closes it on close; a producer passed in stays open.
    ///   - retryBackoff: delays between handler calls for the same message. Its attempt count
    ///     is ignored, because the consumer retries a message until it succeeds or `stop` is
    ///     raised.
    /// - Throws: `KafkaError` when librdkafka rejects a setting or the subscription.
    public init(configuration: KafkaConfiguration, groupID: String, topics: [String],
                offsetReset: OffsetReset = .earliest, deadLetterTopic: String = Topics.deadLetter,
                deadLetterProducer: KafkaProducer? = nil,
                retryBackoff: RetryPolicy = RetryPolicy(attempts: .max, initialDelay: 0.1,
                                                        maxDelay: 5),
                logger: Logger, metrics: MetricsRegistry? = nil) throws {
        let logger = logger.with([.group: groupID, .kafkaClientID: configuration.clientID])
        let config = try RDKafkaConfig(configuration, settings: [
            ("group.id", groupID),
            // A member that crashed keeps its partitions until its session expires. 10 s
            // (librdkafka's default is 45 s) bounds how long a restarted service waits.
            ("session.timeout.ms", "10000"),
            ("enable.auto.commit", "true"),
            // Offsets are stored by `run` after the handler returns, never on delivery.
            ("enable.auto.offset.store", "false"),
            ("auto.offset.reset", offsetReset.rawValue),
            ("enable.partition.eof", "false"),
            ("fetch.wait.max.ms", String(configuration.fetchWaitMaxMs)),
        ])
        config.withPointer { rd_kafka_conf_set_rebalance_cb($0, rdKafkaRebalanceCallback) }
        let handle = try Self.makeHandle(config: config, logger: logger)

        let subscription = RDKafkaTopicPartitionList(capacity: topics.count)
        for topic in topics {
            subscription.add(topic: topic, partition: RDKafkaOffset.unassignedPartition,
                             offset: RDKafkaOffset.end)
        }
        let result = rd_kafka_subscribe(handle.pointer, subscription.pointer)
        guard result == RD_KAFKA_RESP_ERR_NO_ERROR else {
            throw KafkaError(result, context: "subscribing to \(topics.joined(separator: ", ")) failed")
        }

        let producer = try deadLetterProducer
            ?? KafkaProducer(configuration: configuration, logger: logger, metrics: metrics)
        self.handle = handle
        self.logger = logger
        self.metrics = MessagingMetrics(registry: metrics)
        self.retryBackoff = retryBackoff
        self.deadLetter = DeadLetterPublisher(topic: deadLetterTopic, groupID: groupID,
                                              producer: producer,
                                              ownsProducer: deadLetterProducer == nil)
        logger.info("Kafka consumer subscribed", [.topic: topics.joined(separator: ",")])
    }

    /// Creates a reader of every partition of `topic` without a consumer group. The partitions
    /// are assigned and positioned before `init` returns.
    /// - Parameter timeout: seconds to wait for metadata and for each partition's end offset.
    /// - Throws: `KafkaError` when the topic does not exist or the broker does not respond in time.
    public init(configuration: KafkaConfiguration, readerOf topic: String,
                startingAt start: StartPosition = .end, timeout: Double = 10,
                logger: Logger, metrics: MetricsRegistry? = nil) throws {
        let logger = logger.with([.topic: topic, .kafkaClientID: configuration.clientID])
        // Without a group id librdkafka 2.0.2 rejects `rd_kafka_poll_set_consumer` with
        // `_UNKNOWN_GROUP`. This id is unique and never joined, because the reader neither
        // subscribes nor commits.
        let config = try RDKafkaConfig(configuration, settings: [
            ("group.id", "drods-reader-\(UUID().uuidString.lowercased())"),
            ("enable.auto.commit", "false"),
            ("enable.auto.offset.store", "false"),
            ("enable.partition.eof", "false"),
            ("fetch.wait.max.ms", String(configuration.fetchWaitMaxMs)),
        ])
        let handle = try Self.makeHandle(config: config, logger: logger)

        guard let partitionCount = try handle.topicPartitionCounts(timeout: timeout)[topic] else {
            throw KafkaError(code: .invalidArgument,
                             message: "topic \(topic) not found; create it before reading it")
        }
        let assignment = RDKafkaTopicPartitionList(capacity: partitionCount)
        for partition in 0..<Int32(partitionCount) {
            let offset = try Self.startOffset(start, topic: topic, partition: partition,
                                              handle: handle, timeout: timeout)
            assignment.add(topic: topic, partition: partition, offset: offset)
        }
        let result = rd_kafka_assign(handle.pointer, assignment.pointer)
        guard result == RD_KAFKA_RESP_ERR_NO_ERROR else {
            throw KafkaError(result, context: "assigning the partitions of \(topic) failed")
        }

        self.handle = handle
        self.logger = logger
        self.metrics = MessagingMetrics(registry: metrics)
        self.retryBackoff = RetryPolicy(attempts: .max, initialDelay: 0.1, maxDelay: 5)
        self.deadLetter = nil
        logger.debug("Kafka reader assigned",
                     [.kafkaAssignment: RDKafkaTopicPartitionList.describe(assignment.pointer)])
    }

    private static func makeHandle(config: RDKafkaConfig, logger: Logger) throws -> RDKafkaHandle {
        let handle = try RDKafkaHandle(RD_KAFKA_CONSUMER, config: config,
                                       context: RDKafkaCallbackContext(logger: logger))
        // Serve librdkafka's main queue (logs, errors, rebalances) from `rd_kafka_consumer_poll`.
        let result = rd_kafka_poll_set_consumer(handle.pointer)
        guard result == RD_KAFKA_RESP_ERR_NO_ERROR else {
            throw KafkaError(result, context: "routing the main queue to the consumer failed")
        }
        return handle
    }

    private static func startOffset(_ start: StartPosition, topic: String, partition: Int32,
                                    handle: RDKafkaHandle, timeout: Double) throws -> Int64 {
        switch start {
        case .beginning:
            return RDKafkaOffset.beginning
        case .offset(let offset):
            return offset
        case .end:
            // An explicit offset, not `RDKafkaOffset.end`: librdkafka would resolve that later,
            // after `init` returned, and miss messages produced in between.
            var low: Int64 = 0
            var high: Int64 = 0
            let result = rd_kafka_query_watermark_offsets(handle.pointer, topic, partition,
                                                          &low, &high,
                                                          RDKafkaHandle.milliseconds(timeout))
            guard result == RD_KAFKA_RESP_ERR_NO_ERROR else {
                throw KafkaError(result, context: "reading the end offset of \(topic)/\(partition) failed")
            }
            return high
        }
    }

    deinit {
        // `run` holds a reference while it runs, so the consumer is not running here.
        shutdown()
    }

    // MARK: - Running

    /// Polls for messages and calls `handler` for each, on the calling thread, until `stop` is
    /// raised; then commits the stored offsets and closes the consumer.
    ///
    /// - If `handler` returns, the offset is stored.
    /// - If it throws `UndecodableMessageError`, a group member publishes the message to the
    ///   dead-letter topic, waits for the broker to confirm it, then stores the offset. A reader
    ///   logs the message and goes on.
    /// - Any other error is logged, and after a delay that grows up to `retryBackoff.maxDelay`
    ///   the handler is called again with the same message, until it succeeds or `stop` is
    ///   raised. When `stop` ends a retry, the message's offset is not stored.
    ///
    /// - Throws: `KafkaError` when the consumer is closed or already running, or when
    ///   librdkafka reports a fatal error.
    public func run(stop: StopSignal, handler: (KafkaMessage) throws -> Void) throws {
        let handle = try beginRun(stop: stop)
        defer {
            shutdown()
            lifecycle.withLock { lifecycle.broadcast() }
        }
        var repeatedErrors = RepeatedErrorLog()

        while !stop.isStopped {
            guard case .message(let message) = try poll(handle, timeout: Self.pollTimeout, errors: &repeatedErrors) else {
                continue
            }

            guard process(message, stop: stop, handler: handler) else { break }
            if deadLetter != nil {
                storeOffset(of: message, handle: handle)
            }
        }
    }

    /// Like `run`, but hands `handler` every message already fetched, up to `maxBatch` at a
    /// time, so that it can work on them together. Only a group member may run batches.
    ///
    /// - If `handler` returns, the messages it lists as undecodable go to the dead-letter
    ///   topic, then the offsets of the whole batch are stored.
    /// - If it throws, the error is logged and, after a delay that grows up to
    ///   `retryBackoff.maxDelay`, it is called again with the same batch, until it returns or
    ///   `stop` is raised. A handler must therefore tolerate seeing a message again.
    ///
    /// - Throws: `KafkaError` as `run` does, or with `.invalidArgument` for a reader.
    public func runBatches(stop: StopSignal, maxBatch: Int,
                           handler: ([KafkaMessage]) throws -> [UndecodableMessage]) throws {
        guard deadLetter != nil else {
            throw KafkaError(code: .invalidArgument, message: "a reader cannot run batches")
        }
        let handle = try beginRun(stop: stop)
        defer {
            shutdown()
            lifecycle.withLock { lifecycle.broadcast() }
        }
        var repeatedErrors = RepeatedErrorLog()

        while !stop.isStopped {
            var batch: [KafkaMessage] = []
            // Waits for the first message only; the rest are those already fetched.
            var timeout = Self.pollTimeout
            while batch.count < maxBatch,
                  case .message(let message) = try poll(handle, timeout: timeout, errors: &repeatedErrors) {
                timeout = 0
                batch.append(message)
            }
            guard !batch.isEmpty else { continue }

            guard let undecodable = processBatch(batch, stop: stop, handler: handler) else { break }
            for item in undecodable {
                guard publishDeadLetter(item.message, reason: item.reason, stop: stop) else { return }
            }
            for message in batch {
                metrics.handled(topic: message.topic)
                storeOffset(of: message, handle: handle)
            }
        }
    }

    /// Closes a consumer that was never run. When `run` is running on another thread, this
    /// raises its stop signal and waits until `run` has returned and closed the consumer.
    public func close() {
        lifecycle.lock()
        if case .running(let stop) = state {
            stop.stop()
            while case .running = state { lifecycle.wait() }
        }
        lifecycle.unlock()
        shutdown()
    }

    // MARK: - Internals

    private func beginRun(stop: StopSignal) throws -> RDKafkaHandle {
        try lifecycle.withLock {
            switch state {
            case .ready:
                state = .running(stop)
                return handle!
            case .running:
                throw KafkaError(code: .invalidArgument, message: "the consumer is already running")
            case .closed:
                throw KafkaError(code: .closed, message: "the consumer is closed; create a new one")
            }
        }
    }

    /// Handles one message until it may be stored. Returns false when `stop` ended a wait
    /// first, so the message was not finished and its offset must not be stored.
    private func process(_ message: KafkaMessage, stop: StopSignal,
                         handler: (KafkaMessage) throws -> Void) -> Bool {
        var decisions = MessageHandlingState(backoff: retryBackoff,
                                             deadLetterEnabled: deadLetter != nil)
        let ids = Self.metadata(of: message)

        while true {
            let action: MessageHandlingAction
            var failure = ""
            do {
                try handler(message)
                action = decisions.handlerReturned()
            } catch {
                failure = String(describing: error)
                action = decisions.handlerThrew(error)
            }

            switch action {
            case .storeOffset:
                metrics.handled(topic: message.topic)
                return true

            case .skip(let reason):
                logger.warning("undecodable message skipped; a reader has no dead-letter topic",
                               ids.merging([.deadLetterReason: reason]) { _, new in new })
                return true

            case .deadLetter(let reason):
                return publishDeadLetter(message, reason: reason, stop: stop)

            case .retry(let attempt, let delay):
                metrics.handlerRetried(topic: message.topic)
                logger.warning("message handler failed; calling it again with the same message",
                               ids.merging([
                                   .error: failure, .attempt: String(attempt),
                                   .retryDelaySeconds: String(format: "%.1f", delay),
                               ]) { _, new in new })
                if stop.wait(seconds: delay) { return false }
            }
        }
    }

    /// Outcome of one poll.
    private enum PollResult {
        case message(KafkaMessage)
        /// Nothing arrived in time, or a transient error was logged.
        case none
    }

    /// Polls once, waiting up to `timeout` milliseconds, and copies the message out of
    /// librdkafka. Transient errors are logged (rate-limited by `errors`); a fatal one throws.
    private func poll(_ handle: RDKafkaHandle, timeout: Int32, errors: inout RepeatedErrorLog) throws -> PollResult {
        guard let raw = rd_kafka_consumer_poll(handle.pointer, timeout) else { return .none }
        let code = raw.pointee.err
        guard code == RD_KAFKA_RESP_ERR_NO_ERROR else {
            let text = String(cString: rd_kafka_message_errstr(raw))
            rd_kafka_message_destroy(raw)
            let error = KafkaError(code, context: "consuming failed", detail: text)
            if code == RD_KAFKA_RESP_ERR__FATAL {
                logger.error("Kafka consumer stopped by a fatal error", [.error: "\(error)"])
                throw error
            }
            errors.log(error, to: logger)
            return .none
        }
        let message = KafkaMessage(copying: raw)
        rd_kafka_message_destroy(raw)
        metrics.consumed(topic: message.topic)
        return .message(message)
    }

    /// Calls `handler` with `batch` until it returns. Returns nil when `stop` ended a wait
    /// first, so no offset of the batch may be stored.
    private func processBatch(_ batch: [KafkaMessage], stop: StopSignal,
                              handler: ([KafkaMessage]) throws -> [UndecodableMessage]) -> [UndecodableMessage]? {
        var attempt = 0
        while true {
            do {
                return try handler(batch)
            } catch {
                attempt += 1
                let delay = retryBackoff.delay(afterAttempt: attempt)
                metrics.handlerRetried(topic: batch[0].topic)
                logger.warning("batch handler failed; calling it again with the same messages",
                               Self.metadata(of: batch[0]).merging([
                                   .error: String(describing: error), .attempt: String(attempt),
                                   .count: String(batch.count),
                                   .retryDelaySeconds: String(format: "%.1f", delay),
                               ]) { _, new in new })
                if stop.wait(seconds: delay) { return nil }
            }
        }
    }

    /// Publishes to the dead-letter topic, retrying with backoff until the broker confirms.
    /// Returns false when `stop` ended a wait first.
    private func publishDeadLetter(_ message: KafkaMessage, reason: String,
                                   stop: StopSignal) -> Bool {
        guard let deadLetter else { return true }
        let ids = Self.metadata(of: message).merging([.deadLetterReason: reason]) { _, new in new }
        var attempt = 0
        while true {
            do {
                try deadLetter.publish(message, reason: reason, timeout: Self.deadLetterTimeout)
                metrics.deadLettered(topic: message.topic)
                logger.warning("undecodable message moved to the dead-letter topic \(deadLetter.topic)",
                               ids)
                return true
            } catch {
                attempt += 1
                let delay = retryBackoff.delay(afterAttempt: attempt)
                logger.warning("publishing to the dead-letter topic failed; retrying",
                               ids.merging([
                                   .error: String(describing: error), .attempt: String(attempt),
                                   .retryDelaySeconds: String(format: "%.1f", delay),
                               ]) { _, new in new })
                if stop.wait(seconds: delay) { return false }
            }
        }
    }

    /// Stores the offset after `message`, the one the group resumes from, for the next commit.
    private func storeOffset(of message: KafkaMessage, handle: RDKafkaHandle) {
        let offsets = RDKafkaTopicPartitionList()
        offsets.add(topic: message.topic, partition: message.partition, offset: message.offset + 1)
        var result = rd_kafka_offsets_store(handle.pointer, offsets.pointer)
        if result == RD_KAFKA_RESP_ERR_NO_ERROR {
            result = offsets.pointer.pointee.elems[0].err
        }
        if result != RD_KAFKA_RESP_ERR_NO_ERROR {
            // Happens when a rebalance revoked the partition while the handler ran; the new
            // owner then handles the message again.
            let error = KafkaError(result, context: "storing the offset failed")
            logger.warning("offset not stored; the message will be delivered again",
                           Self.metadata(of: message).merging([.error: "\(error)"]) { _, new in new })
        }
    }

    /// Commits stored offsets, leaves the group and destroys the client. Runs once; later calls
    /// return at once.
    private func shutdown() {
        let handle: RDKafkaHandle? = lifecycle.withLock {
            state = .closed
            defer { self.handle = nil }
            return self.handle
        }
        guard let handle else { return }

        if deadLetter != nil {
            let committed = rd_kafka_commit(handle.pointer, nil, 0)
            // `_NO_OFFSET` means nothing was stored since the last commit.
            if committed != RD_KAFKA_RESP_ERR_NO_ERROR, committed != RD_KAFKA_RESP_ERR__NO_OFFSET {
                let error = KafkaError(committed, context: "committing offsets on close failed")
                logger.warning("\(error); uncommitted messages will be delivered again",
                               [.kafkaErrorName: error.name ?? ""])
            }
        }
        let closed = rd_kafka_consumer_close(handle.pointer)
        if closed != RD_KAFKA_RESP_ERR_NO_ERROR {
            let error = KafkaError(closed, context: "closing the consumer failed")
            logger.warning("\(error)", [.kafkaErrorName: error.name ?? ""])
        }
        deadLetter?.close()
        logger.debug("Kafka consumer closed")
        // `handle` is the last reference: `rd_kafka_destroy` runs when this scope ends.
    }

    private static func metadata(of message: KafkaMessage) -> [LogKey: String] {
        [.topic: message.topic, .partition: String(message.partition),
         .offset: String(message.offset)]
    }
}

// MARK: - Repeated errors

/// Logs consumer errors such as an unreachable broker at most once per `interval` seconds for
/// each error name. The `count` field of a line includes the repeats suppressed before it.
private struct RepeatedErrorLog {
    private var lastLogged: [String: UInt64] = [:]
    private var suppressed: [String: Int] = [:]
    private let interval: Double = 30

    mutating func log(_ error: KafkaError, to logger: Logger) {
        let name = error.name ?? error.code.rawValue
        if let last = lastLogged[name], MonotonicClock.seconds(since: last) < interval {
            suppressed[name, default: 0] += 1
            return
        }
        logger.warning("Kafka consumer error: \(error.message)", [
            .kafkaErrorName: name, .count: String(suppressed[name, default: 0] + 1),
        ])
        lastLogged[name] = MonotonicClock.nanoseconds()
        suppressed[name] = 0
    }
}
