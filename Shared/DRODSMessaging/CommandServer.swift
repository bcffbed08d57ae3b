import DRODSCore
import Foundation

/// Serves one command topic as a member of a consumer group: decodes each `CommandEnvelope`,
/// calls the handler, and produces the reply to the command's `replyTopic`. A command's offset
/// is stored only after the broker confirmed its reply, so a crash in between makes another
/// member handle the command again. Handlers therefore deduplicate by command id.
///
/// `@unchecked Sendable`: the consumer runs on the thread that calls `run`, and the producer
/// is thread-safe.
public final class CommandServer: @unchecked Sendable {
    /// The code of the reply sent when the handler throws.
    public static let internalErrorCode = "INTERNAL_ERROR"

    public let topic: String
    private let producer: KafkaProducer
    private let consumer: KafkaConsumer
    private let logger: Logger
    /// Seconds to wait for the broker to confirm a reply before handling the command again.
    private let replyTimeout: Double

    /// Creates the producer and joins `groupID` on `topic`. Commands that are not a
    /// `CommandEnvelope` go to `Topics.deadLetter`.
    /// - Throws: `KafkaError` when a client cannot be created.
    /// - Parameter replyTopics: the topics commands name as their reply topic; their metadata
    ///   is read at start, so that the first reply is not delayed.
    public init(configuration: KafkaConfiguration, topic: String, groupID: String,
                replyTopics: [String] = [Topics.replies],
                replyTimeout: Double = 30, logger: Logger, metrics: MetricsRegistry? = nil) throws {
        self.topic = topic
        self.replyTimeout = replyTimeout
        self.logger = logger.with([.group: groupID, .topic: topic])
        // A caller waits on every command and reply, so they are sent at once, unbatched.
        var unbatched = configuration
        unbatched.lingerMs = 0
        self.producer = try KafkaProducer(configuration: unbatched, logger: logger,
                                          metrics: metrics)
        try producer.loadMetadata(of: replyTopics)
        self.consumer = try KafkaConsumer(configuration: configuration, groupID: groupID,
                                          topics: [topic], deadLetterProducer: producer,
                                          logger: logger, metrics: metrics)
    }

    deinit {
        consumer.close()
        producer.close()
    }

    /// Handles commands until `stop` is raised, then commits, leaves the group and closes the
    /// producer.
    ///
    /// Commands are taken in batches of what the consumer has already fetched (at most
    /// `maxBatch`). Commands with the same message key (one resource) are handled in order on
    /// one thread; different keys run on up to `parallelism` threads at once, so round trips to
    /// the database overlap. Every reply of a batch is sent before the batch's offsets are
    /// stored. When a reply cannot be delivered, the whole batch is handled again after a
    /// delay; the handler must then return the reply it gave the first time.
    ///
    /// When `handler` throws, the command gets a `rejected` reply with code `INTERNAL_ERROR` and
    /// a generic message, and the error is logged.
    ///
    /// `batchHandler`, when given, first gets the whole batch as one list of commands per key,
    /// in order, and returns the replies of the commands it applied, by command id. It must
    /// answer every command of a key or none of them; the keys it leaves go to `handler`.
    /// - Throws: `KafkaError` as `KafkaConsumer.runBatches` does.
    public func run(stop: StopSignal, parallelism: Int = 1, maxBatch: Int = 256,
                    batchHandler: (@Sendable ([[CommandEnvelope]]) -> [String: ReplyEnvelope])? = nil,
                    handler: @escaping @Sendable (CommandEnvelope) throws -> ReplyEnvelope) throws {
        defer { producer.close() }
        try consumer.runBatches(stop: stop, maxBatch: max(1, maxBatch)) { messages in
            try serve(messages, parallelism: max(1, parallelism), batchHandler: batchHandler, handler: handler)
        }
    }

    private func serve(_ messages: [KafkaMessage], parallelism: Int,
                       batchHandler: (@Sendable ([[CommandEnvelope]]) -> [String: ReplyEnvelope])?,
                       handler: @escaping @Sendable (CommandEnvelope) throws -> ReplyEnvelope) throws
        -> [UndecodableMessage]
    {
        var undecodable: [UndecodableMessage] = []
        var queues: [String: [CommandEnvelope]] = [:]
        var keyOrder: [String] = []
        for message in messages {
            do {
                let command = try WireJSON.decode(CommandEnvelope.self, from: message.value)
                let key = message.key ?? command.id
                if queues[key] == nil { keyOrder.append(key) }
                queues[key, default: []].append(command)
            } catch {
                undecodable.append(UndecodableMessage(message: message, reason: "not a command envelope: \(error)"))
            }
        }

        let results = ReplyCollector()
        var groups = keyOrder.map { queues[$0]! }
        if let batchHandler {
            let applied = batchHandler(groups)
            groups = groups.filter { group in
                guard group.allSatisfy({ applied[$0.id] != nil }) else { return true }
                for command in group { results.add(command, Self.addressed(applied[command.id]!, to: command)) }
                return false
            }
        }
        let work = groups
        let next = IndexDispenser()
        DispatchQueue.concurrentPerform(iterations: min(parallelism, work.count)) { _ in
            while let index = next.take(below: work.count) {
                for command in work[index] {
                    results.add(command, reply(to: command, handler: handler))
                }
            }
        }
        try send(results.replies)
        return undecodable
    }

    private func reply(to command: CommandEnvelope,
                       handler: (CommandEnvelope) throws -> ReplyEnvelope) -> ReplyEnvelope {
        let reply: ReplyEnvelope
        do {
            reply = try handler(command)
        } catch {
            logger.error("command handler failed; replying INTERNAL_ERROR", [
                .commandID: command.id, .commandType: command.type,
                .correlationID: command.correlationID, .error: String(describing: error),
            ])
            reply = ReplyEnvelope(commandID: command.id, correlationID: command.correlationID,
                                  outcome: .rejected, code: Self.internalErrorCode,
                                  message: "the command could not be processed")
        }
        return Self.addressed(reply, to: command)
    }

    /// The client matches replies by command id, so these must be the command's own.
    private static func addressed(_ reply: ReplyEnvelope, to command: CommandEnvelope) -> ReplyEnvelope {
        var reply = reply
        reply.commandID = command.id
        reply.correlationID = command.correlationID
        return reply
    }

    /// Sends every reply at once and waits until the broker confirmed them all.
    private func send(_ replies: [(CommandEnvelope, ReplyEnvelope)]) throws {
        let waiter = DeliveryCounter(expected: replies.count)
        for (command, reply) in replies {
            producer.send(topic: command.replyTopic, key: command.correlationID,
                          value: try WireJSON.encode(reply)) { result in
                waiter.record(result)
            }
        }
        try waiter.wait(timeout: replyTimeout)
    }
}
