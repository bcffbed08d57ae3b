import DRODSCore
import Foundation

/// Sends commands to their owners over Kafka and waits for the replies.
///
/// A reader assigned to every partition of the reply topic, without a consumer group, receives
/// every reply. The client keeps the replies whose command id it waits for and drops the rest,
/// so any number of gateway replicas can share one reply topic. The reader is positioned at the end of
/// each partition before `init` returns, so no reply to a command sent afterwards is missed.
///
/// `@unchecked Sendable`: the pending replies are guarded by their table's lock, the producer
/// is thread-safe, and the reader runs on its own thread.
public final class CommandClient: @unchecked Sendable {
    /// The topic replies are read from; every command sent must name it as `replyTopic`.
    public let replyTopic: String
    /// Commands that may wait for replies at the same time; more fail with
    /// `PendingCommandLimitError`.
    public let maxPendingCommands: Int

    private let producer: KafkaProducer
    private let replies: PendingReplies
    private let readerStop = StopSignal()
    private let readerFinished = DispatchSemaphore(value: 0)
    private let logger: Logger
    private let metrics: MessagingMetrics

    /// Creates the producer and the reply reader, and starts the reader's thread.
    /// - Parameters:
    ///   - commandTopics: the topics commands will go to; their metadata is read here, so that
    ///     the first command to each is not delayed.
    ///   - timeout: seconds to wait for the topics' metadata and the reply topic's end offsets.
    /// - Throws: `KafkaError` when a client cannot be created or the reply topic is missing.
    public init(configuration: KafkaConfiguration, replyTopic: String = Topics.replies,
                commandTopics: [String] = [], maxPendingCommands: Int = 1000, timeout: Double = 10,
                logger: Logger, metrics: MetricsRegistry? = nil) throws {
        self.replyTopic = replyTopic
        self.maxPendingCommands = max(1, maxPendingCommands)
        self.logger = logger
        self.metrics = MessagingMetrics(registry: metrics)
        // A caller waits on every command and reply, so they are sent at once, unbatched.
        var unbatched = configuration
        unbatched.lingerMs = 0
        self.producer = try KafkaProducer(configuration: unbatched, logger: logger,
                                          metrics: metrics)
        try producer.loadMetadata(of: commandTopics, timeout: timeout)
        let reader = try KafkaConsumer(configuration: configuration, readerOf: replyTopic,
                                       startingAt: .end, timeout: timeout, logger: logger,
                                       metrics: metrics)
        let replies = PendingReplies(limit: self.maxPendingCommands, logger: logger)
        self.replies = replies

        // The thread references the reader and the table but not the client, so dropping the
        // client runs `deinit`, which stops the thread.
        let thread = Thread { [readerStop, readerFinished] in
            defer { readerFinished.signal() }
            do {
                try reader.run(stop: readerStop) { replies.deliver($0) }
            } catch {
                logger.error("reply reader stopped; commands will time out until restart",
                             [.topic: replyTopic, .error: String(describing: error)])
            }
        }
        thread.name = "kafka-reply-reader"
        thread.start()
    }

    deinit {
        close()
    }

    /// Sends `command` to `topic` and blocks until its reply arrives. Call it from a thread of
    /// your own, not from Swift's cooperative pool.
    /// - Parameters:
    ///   - key: partition key; commands with the same key keep their order. Defaults to the
    ///     command's correlation id; pass the aggregate id to order commands per aggregate.
    ///   - timeout: seconds to wait for the reply, including delivery of the command.
    /// - Throws: `CommandTimeoutError` when no reply arrives in time,
    ///   `PendingCommandLimitError` when too many commands wait already, and `KafkaError`
    ///   when the command cannot be sent or the client is closed.
    public func send(_ command: CommandEnvelope, to topic: String, key: String? = nil,
                     timeout: Double) throws -> ReplyEnvelope {
        guard command.replyTopic == replyTopic else {
            throw KafkaError(code: .invalidArgument,
                             message: "command \(command.id) names reply topic \(command.replyTopic), "
                                 + "but this client reads \(replyTopic)")
        }
        let value = try WireJSON.encode(command)
        let waiter = try replies.register(command.id)
        defer { replies.remove(command.id) }

        let started = MonotonicClock.nanoseconds()
        let ids: [LogKey: String] = [
            .commandID: command.id, .commandType: command.type,
            .correlationID: command.correlationID, .topic: topic,
        ]
        logger.debug("sending command", ids)
        producer.send(topic: topic, key: key ?? command.correlationID, value: value) { result in
            // A failed delivery ends the wait at once; a successful one leaves it to the reply.
            if case .failure(let error) = result { waiter.fulfil(.failure(error)) }
        }

        guard let outcome = waiter.wait(timeout: timeout) else {
            metrics.commandTimedOut(topic: topic)
            logger.warning("no reply to command within \(timeout) s", ids)
            throw CommandTimeoutError(commandID: command.id, topic: topic, timeout: timeout)
        }
        let reply = try outcome.get()
        let seconds = MonotonicClock.seconds(since: started)
        metrics.replyLatency(topic: topic, seconds: seconds)
        logger.debug("command reply received", ids.merging([
            .durationMs: String(format: "%.1f", seconds * 1000), "command.outcome": reply.outcome.rawValue,
        ]) { _, new in new })
        return reply
    }

    /// Commands currently waiting for replies.
    public var pendingCount: Int {
        replies.count
    }

    /// Fails the commands still waiting, stops the reply reader and closes the producer.
    /// Later calls return at once.
    public func close() {
        guard replies.close() else { return }
        readerStop.stop()
        readerFinished.wait()
        producer.close()
    }
}

// MARK: - Pending replies

/// The commands waiting for replies, by command id, shared by `send` and the reader thread.
///
/// `@unchecked Sendable`: every field is guarded by `lock` or immutable.
private final class PendingReplies: @unchecked Sendable {
    private let lock = NSLock()
    private var waiting: [String: PendingReply] = [:]
    private var closed = false
    private let limit: Int
    private let logger: Logger

    init(limit: Int, logger: Logger) {
        self.limit = limit
        self.logger = logger
    }

    var count: Int {
        lock.withLock { waiting.count }
    }

    func register(_ commandID: String) throws -> PendingReply {
        try lock.withLock {
            guard !closed else {
                throw KafkaError(code: .closed, message: "the command client is closed")
            }
            guard waiting.count < limit else {
                throw PendingCommandLimitError(limit: limit)
            }
            guard waiting[commandID] == nil else {
                throw KafkaError(code: .invalidArgument,
                                 message: "command \(commandID) is already waiting for a reply; "
                                     + "use a new id for a new command")
            }
            let reply = PendingReply()
            waiting[commandID] = reply
            return reply
        }
    }

    func remove(_ commandID: String) {
        lock.withLock { _ = waiting.removeValue(forKey: commandID) }
    }

    /// Hands a reply read from Kafka to the command waiting for it, if any.
    func deliver(_ message: KafkaMessage) {
        let reply: ReplyEnvelope
        do {
            reply = try WireJSON.decode(ReplyEnvelope.self, from: message.value)
        } catch {
            logger.warning("reply dropped because it is not a reply envelope", [
                .topic: message.topic, .partition: String(message.partition),
                .offset: String(message.offset), .error: String(describing: error),
            ])
            return
        }
        guard let waiter = lock.withLock({ waiting[reply.commandID] }) else {
            // Another replica's command, or one that timed out here.
            logger.debug("reply dropped; no command waits for it here",
                         [.commandID: reply.commandID, .correlationID: reply.correlationID])
            return
        }
        waiter.fulfil(.success(reply))
    }

    /// Fails every waiting command and rejects new ones. Returns false when already closed.
    func close() -> Bool {
        let pending: [PendingReply]? = lock.withLock {
            guard !closed else { return nil }
            closed = true
            return Array(waiting.values)
        }
        guard let pending else { return false }
        for reply in pending {
            reply.fulfil(.failure(KafkaError(code: .closed,
                                             message: "the command client closed before the reply arrived")))
        }
        return true
    }
}

/// One command's wait for its reply; the first result wins.
///
/// `@unchecked Sendable`: `result` is written once under `lock` before the semaphore signals.
private final class PendingReply: @unchecked Sendable {
    private let lock = NSLock()
    private let done = DispatchSemaphore(value: 0)
    private var result: Result<ReplyEnvelope, KafkaError>?

    func fulfil(_ value: Result<ReplyEnvelope, KafkaError>) {
        let first = lock.withLock {
            guard result == nil else { return false }
            result = value
            return true
        }
        if first { done.signal() }
    }

    /// Returns the result, or nil when none arrived within `timeout` seconds.
    func wait(timeout: Double) -> Result<ReplyEnvelope, KafkaError>? {
        guard done.wait(timeout: .now() + max(0, timeout)) == .success else { return nil }
        return lock.withLock { result }
    }
}
