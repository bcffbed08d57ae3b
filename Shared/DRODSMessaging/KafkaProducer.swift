import CRDKafka
import DRODSCore
import Foundation

/// An idempotent Kafka producer (`enable.idempotence=true`, `acks=all`): the brokers store each
/// message once and in order per partition, even when librdkafka retries a send.
///
/// A dedicated thread polls for delivery reports, so completions run on that thread. Messages
/// with the same key go to the same partition and keep their order.
///
/// `@unchecked Sendable`: librdkafka's producer calls are thread-safe, and the handle, the count
/// of sends in progress and the closed flag are guarded by `state`.
public final class KafkaProducer: @unchecked Sendable {
    /// How long `send` waits for room when librdkafka's local queue is full. The queue is
    /// bounded by librdkafka's `queue.buffering.max.messages` (100000 by default) and
    /// `queue.buffering.max.kbytes`; set those through `KafkaConfiguration.options`.
    public let queueFullTimeout: Double

    private let logger: Logger
    private let metrics: MessagingMetrics
    private let pollThread: RDKafkaPollThread
    /// Timeouts of `send(timeout:)`; its thread starts with the first such send.
    private let deadlines = DeliveryDeadlines(name: "kafka-producer-deadlines")
    private let state = NSCondition()
    /// Nil once `close()` has started; dropping the last reference destroys the client.
    private var handle: RDKafkaHandle?
    /// Sends between taking the handle and returning; `close()` waits for them to finish.
    private var sendsInProgress = 0

    /// Creates the producer and starts its poll thread.
    /// - Parameters:
    ///   - queueFullTimeout: seconds `send` keeps retrying while the local queue is full.
    /// - Throws: `KafkaError` when librdkafka rejects a setting or cannot create the client.
    public init(configuration: KafkaConfiguration, logger: Logger, metrics: MetricsRegistry? = nil,
                queueFullTimeout: Double = 5) throws {
        let config = try RDKafkaConfig(configuration, settings: [
            ("enable.idempotence", "true"),
            ("acks", "all"),
            ("linger.ms", String(configuration.lingerMs)),
        ])
        config.withPointer { rd_kafka_conf_set_dr_msg_cb($0, deliveryReportCallback) }
        let logger = logger.with([.kafkaClientID: configuration.clientID])
        let handle = try RDKafkaHandle(RD_KAFKA_PRODUCER, config: config,
                                       context: RDKafkaCallbackContext(logger: logger))

        self.handle = handle
        self.logger = logger
        self.metrics = MessagingMetrics(registry: metrics)
        self.queueFullTimeout = queueFullTimeout
        self.pollThread = RDKafkaPollThread(name: "kafka-producer-poll", handle: handle)
        logger.debug("Kafka producer started", [.kafkaBrokers: configuration.brokers])
    }

    deinit {
        close()
    }

    // MARK: - Sending

    /// Enqueues a message for delivery. `completion` is called exactly once: on the poll thread
    /// with the broker's response, or on the calling thread when the message could not be
    /// enqueued (producer closed, local queue full for `queueFullTimeout`, invalid topic).
    ///
    /// Blocks only while the local queue is full, for at most `queueFullTimeout` seconds.
    public func send(topic: String, key: String?, value: Data, headers: [String: String] = [:],
                     completion: @escaping @Sendable (Result<DeliveryReport, KafkaError>) -> Void) {
        let metrics = self.metrics
        let box = DeliveryCallbackBox { result in
            switch result {
            case .success: metrics.delivered(topic: topic)
            case .failure: metrics.deliveryFailed(topic: topic)
            }
            completion(result)
        }

        guard let handle = beginSend() else {
            box.complete(.failure(KafkaError(code: .closed,
                                             message: "the producer is closed; message to \(topic) not sent")))
            return
        }
        defer { endSend() }
        metrics.produced(topic: topic)

        // The delivery callback releases this reference when librdkafka reports the message;
        // when enqueueing fails, no report will come and the code below releases it instead.
        let opaque = Unmanaged.passRetained(box).toOpaque()
        let deadline = MonotonicClock.nanoseconds() + UInt64(max(0, queueFullTimeout) * 1e9)
        while true {
            guard let error = enqueue(on: handle, topic: topic, key: key, value: value,
                                      headers: headers, opaque: opaque) else { return }

            if error.code == .queueFull, MonotonicClock.nanoseconds() < deadline {
                // Serve delivery reports here as well, which frees room in the queue.
                rd_kafka_poll(handle.pointer, 50)
                continue
            }
            let failed = Unmanaged<DeliveryCallbackBox>.fromOpaque(opaque).takeRetainedValue()
            if error.code == .queueFull {
                failed.complete(.failure(KafkaError(
                    code: .queueFull,
                    message: "the local producer queue stayed full for \(queueFullTimeout) s; "
                        + "message to \(topic) not sent (is the broker reachable?)",
                    isRetriable: true, name: error.name)))
            } else {
                failed.complete(.failure(error))
            }
            return
        }
    }

    /// Enqueues a message like `send(topic:key:value:headers:completion:)`, but completes with
    /// a `KafkaError` of code `.timedOut` when no delivery report arrives within `timeout`
    /// seconds. The message may still be delivered later, and its report is then dropped.
    /// `completion` is called exactly once: on the poll thread, on the calling thread, or on the
    /// producer's deadline thread for the timeout.
    public func send(topic: String, key: String?, value: Data, headers: [String: String] = [:],
                     timeout: Double,
                     completion: @escaping @Sendable (Result<DeliveryReport, KafkaError>) -> Void) {
        let once = OnceDeliveryCompletion(completion)
        deadlines.schedule(after: timeout) {
            once.complete(.failure(KafkaError(
                code: .timedOut, message: "no delivery report for a message to \(topic) within \(timeout) s",
                isRetriable: true)))
        }
        send(topic: topic, key: key, value: value, headers: headers) { once.complete($0) }
    }

    /// Sends a message and blocks until the broker confirms it. Call it from a thread of your
    /// own, not from Swift's cooperative pool.
    /// - Throws: `KafkaError` when delivery fails, or with code `.timedOut` when no delivery
    ///   report arrives within `timeout` seconds. The message may still be delivered later.
    @discardableResult
    public func sendAndWait(topic: String, key: String?, value: Data,
                            headers: [String: String] = [:], timeout: Double = 30) throws
        -> DeliveryReport
    {
        let waiter = DeliveryWaiter()
        send(topic: topic, key: key, value: value, headers: headers) { waiter.fulfil($0) }
        guard let result = waiter.wait(timeout: timeout) else {
            throw KafkaError(code: .timedOut,
                             message: "no delivery report for a message to \(topic) within \(timeout) s",
                             isRetriable: true)
        }
        return try result.get()
    }

    /// Blocks until every queued message is delivered or failed, or `timeout` seconds pass.
    /// - Throws: `KafkaError` with code `.timedOut` naming the count still queued.
    public func flush(timeout: Double) throws {
        guard let handle = beginSend() else {
            throw KafkaError(code: .closed, message: "the producer is closed; nothing to flush")
        }
        defer { endSend() }
        let result = rd_kafka_flush(handle.pointer, RDKafkaHandle.milliseconds(timeout))
        guard result == RD_KAFKA_RESP_ERR_NO_ERROR else {
            let queued = rd_kafka_outq_len(handle.pointer)
            throw KafkaError(code: .timedOut,
                             message: "\(queued) messages still queued after flushing for \(timeout) s",
                             isRetriable: true, name: String(cString: rd_kafka_err2name(result)))
        }
    }

    /// Reads the partitions and leaders of `topics` before the first send to them, so that the
    /// first message to a topic does not wait for librdkafka's once-a-second lookup of unknown
    /// topics. Call it at start with the topics this producer will write.
    /// - Throws: `KafkaError` when the producer is closed or a topic's metadata cannot be read
    ///   within `timeout` seconds.
    public func loadMetadata(of topics: [String], timeout: Double = 10) throws {
        guard let handle = beginSend() else {
            throw KafkaError(code: .closed, message: "the producer is closed; no metadata loaded")
        }
        defer { endSend() }
        try handle.loadTopicMetadata(topics, timeout: timeout)
    }

    /// Delivers what is queued (waiting up to `timeout` seconds), fails whatever is left with a
    /// purge error, stops the poll thread and destroys the client. Every completion has run
    /// when this returns. Later calls return at once.
    public func close(timeout: Double = 10) {
        state.lock()
        guard let handle else {
            state.unlock()
            return
        }
        self.handle = nil
        while sendsInProgress > 0 { state.wait() }
        state.unlock()

        let flushed = rd_kafka_flush(handle.pointer, RDKafkaHandle.milliseconds(timeout))
        if flushed != RD_KAFKA_RESP_ERR_NO_ERROR {
            let queued = rd_kafka_outq_len(handle.pointer)
            logger.warning("Kafka producer closed with undelivered messages; they fail with a purge error",
                           [.count: "\(queued)"])
            // Purged messages get a delivery report with `_PURGE_QUEUE` or `_PURGE_INFLIGHT`,
            // which the short flush below serves, so each callback box is released.
            _ = rd_kafka_purge(handle.pointer, RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT)
            _ = rd_kafka_flush(handle.pointer, 1000)
        }
        pollThread.stopAndWait()
        // Every message has had its delivery report by now, so no timeout has work left.
        deadlines.stop()
        logger.debug("Kafka producer closed")
        // `handle` is the last reference: `rd_kafka_destroy` runs when this scope ends.
    }

    // MARK: - Internals

    private func beginSend() -> RDKafkaHandle? {
        state.withLock {
            guard let handle else { return nil }
            sendsInProgress += 1
            return handle
        }
    }

    private func endSend() {
        state.withLock {
            sendsInProgress -= 1
            if sendsInProgress == 0 { state.broadcast() }
        }
    }

    /// Hands one message to `rd_kafka_produceva`; returns nil when it was enqueued.
    private func enqueue(on handle: RDKafkaHandle, topic: String, key: String?, value: Data,
                         headers: [String: String], opaque: UnsafeMutableRawPointer) -> KafkaError? {
        // Owned here until `rd_kafka_produceva` succeeds, which transfers it to librdkafka.
        let headerList = RDKafkaHeaders.make(headers)
        let keyBytes = key.map { Array($0.utf8) }

        let failure: OpaquePointer? = topic.withCString { topicName in
            value.withUnsafeBytes { valueBytes in
                withOptionalBytes(keyBytes) { keyBuffer in
                    var fields: [rd_kafka_vu_t] = []

                    var field = rd_kafka_vu_t()
                    field.vtype = RD_KAFKA_VTYPE_TOPIC
                    field.u.cstr = topicName
                    fields.append(field)

                    field = rd_kafka_vu_t()
                    field.vtype = RD_KAFKA_VTYPE_VALUE
                    field.u.mem.ptr = UnsafeMutableRawPointer(mutating: valueBytes.baseAddress)
                    field.u.mem.size = valueBytes.count
                    fields.append(field)

                    if let keyBuffer {
                        field = rd_kafka_vu_t()
                        field.vtype = RD_KAFKA_VTYPE_KEY
                        field.u.mem.ptr = UnsafeMutableRawPointer(mutating: keyBuffer.baseAddress)
                        field.u.mem.size = keyBuffer.count
                        fields.append(field)
                    }

                    field = rd_kafka_vu_t()
                    field.vtype = RD_KAFKA_VTYPE_MSGFLAGS
                    // librdkafka copies key and value, because the Swift buffers die on return.
                    field.u.i = RD_KAFKA_MSG_F_COPY
                    fields.append(field)

                    field = rd_kafka_vu_t()
                    field.vtype = RD_KAFKA_VTYPE_OPAQUE
                    field.u.ptr = opaque
                    fields.append(field)

                    field = rd_kafka_vu_t()
                    field.vtype = RD_KAFKA_VTYPE_HEADERS
                    field.u.headers = headerList
                    fields.append(field)

                    return rd_kafka_produceva(handle.pointer, fields, fields.count)
                }
            }
        }

        guard let failure else { return nil }
        // On failure librdkafka did not take the header list.
        rd_kafka_headers_destroy(headerList)
        return KafkaError(consuming: failure, context: "enqueueing a message to \(topic) failed")
    }
}

// MARK: - Delivery plumbing

/// Calls `body` with the bytes of `bytes`, or with nil when there are none.
private func withOptionalBytes<T>(_ bytes: [UInt8]?, _ body: (UnsafeRawBufferPointer?) -> T) -> T {
    guard let bytes else { return body(nil) }
    return bytes.withUnsafeBytes { body($0) }
}

/// The per-message opaque of a produced message: the completion to call with its delivery
/// report.
private final class DeliveryCallbackBox {
    private let completion: @Sendable (Result<DeliveryReport, KafkaError>) -> Void

    init(_ completion: @escaping @Sendable (Result<DeliveryReport, KafkaError>) -> Void) {
        self.completion = completion
    }

    func complete(_ result: Result<DeliveryReport, KafkaError>) {
        completion(result)
    }
}

/// A completion that runs for the first result only, for a delivery report racing a timeout.
///
/// `@unchecked Sendable`: `completion` is read and cleared under `lock`. Clearing it lets the
/// deadline queue, which keeps this box until the timeout, release what the completion
/// captured.
private final class OnceDeliveryCompletion: @unchecked Sendable {
    private let lock = NSLock()
    private var completion: (@Sendable (Result<DeliveryReport, KafkaError>) -> Void)?

    init(_ completion: @escaping @Sendable (Result<DeliveryReport, KafkaError>) -> Void) {
        self.completion = completion
    }

    func complete(_ result: Result<DeliveryReport, KafkaError>) {
        let pending = lock.withLock {
            defer { completion = nil }
            return completion
        }
        pending?(result)
    }
}

/// Lets `sendAndWait` block until the completion has run.
///
/// `@unchecked Sendable`: `result` is written once under `lock` before the semaphore signals.
private final class DeliveryWaiter: @unchecked Sendable {
    private let lock = NSLock()
    private let done = DispatchSemaphore(value: 0)
    private var result: Result<DeliveryReport, KafkaError>?

    func fulfil(_ value: Result<DeliveryReport, KafkaError>) {
        lock.withLock { result = value }
        done.signal()
    }

    /// Returns the result, or nil when none arrived within `timeout` seconds.
    func wait(timeout: Double) -> Result<DeliveryReport, KafkaError>? {
        guard done.wait(timeout: .now() + max(0, timeout)) == .success else { return nil }
        return lock.withLock { result }
    }
}

/// Receives each delivery report on the thread that called `rd_kafka_poll` or `rd_kafka_flush`.
private let deliveryReportCallback: @convention(c) (
    OpaquePointer?, UnsafePointer<rd_kafka_message_t>?, UnsafeMutableRawPointer?
) -> Void = { _, message, _ in
    guard let message, let opaque = message.pointee._private else { return }
    // Balances `passRetained` in `send`: librdkafka reports every enqueued message once.
    let box = Unmanaged<DeliveryCallbackBox>.fromOpaque(opaque).takeRetainedValue()
    let report = message.pointee
    let topic = String(cString: rd_kafka_topic_name(report.rkt))
    if report.err == RD_KAFKA_RESP_ERR_NO_ERROR {
        box.complete(.success(DeliveryReport(topic: topic, partition: report.partition,
                                             offset: report.offset)))
    } else {
        box.complete(.failure(KafkaError(report.err, context: "delivering a message to \(topic) failed")))
    }
}
