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
    public init(configuration: KafkaConfiguration, topic: String, groupID: String,
                replyTimeout: Double = 30, logger: Logger, metrics: MetricsRegistry? = nil) throws {
        self.topic = topic
        self.replyTimeout = replyTimeout
        self.logger = logger.with([.group: groupID, .topic: topic])
        // A caller waits on every command and reply, so they are sent at once, unbatched.
        var unbatched = configuration
        unbatched.lingerMs = 0
        self.producer = try KafkaProducer(configuration: unbatched, logger: logger,
                                          metrics: metrics)
        self.consumer = try KafkaConsumer(configuration: configuration, groupID: groupID,
                                          topics: [topic], deadLetterProducer: producer,
                                          logger: logger, metrics: metrics)
    }

    deinit {
        consumer.close()
        producer.close()
    }

    /// Handles commands on the calling thread until `stop` is raised, then commits, leaves the
    /// group and closes the producer.
    ///
    /// When `handler` throws, the command gets a `rejected` reply with code `INTERNAL_ERROR` and
    /// a generic message, and the error is logged. When the reply cannot be delivered, the
    /// command is handled again after a delay.
    /// - Throws: `KafkaError` as `KafkaConsumer.run` does.
    public func run(stop: StopSignal, handler: (CommandEnvelope) throws -> ReplyEnvelope) throws {
        // Commands are handled one at a time, reply delivery included; an owner runs several
        // servers in one group (DRODS_COMMAND_WORKERS) to handle partitions in parallel.
        defer { producer.close() }
        try consumer.run(stop: stop) { message in
            try serve(message, handler: handler)
        }
    }

    private func serve(_ message: KafkaMessage,
                       handler: (CommandEnvelope) throws -> ReplyEnvelope) throws {
        let command: CommandEnvelope
        do {
            command = try WireJSON.decode(CommandEnvelope.self, from: message.value)
        } catch {
            throw UndecodableMessageError(reason: "not a command envelope: \(error)")
        }
        let ids: [LogKey: String] = [
            .commandID: command.id, .commandType: command.type,
            .correlationID: command.correlationID,
        ]

        var reply: ReplyEnvelope
        do {
            reply = try handler(command)
        } catch {
            logger.error("command handler failed; replying INTERNAL_ERROR",
                         ids.merging([.error: String(describing: error)]) { _, new in new })
            reply = ReplyEnvelope(commandID: command.id, correlationID: command.correlationID,
                                  outcome: .rejected, code: Self.internalErrorCode,
                                  message: "the command could not be processed")
        }
        // The client matches replies by command id, so these must be the command's own.
        reply.commandID = command.id
        reply.correlationID = command.correlationID

        try producer.sendAndWait(topic: command.replyTopic, key: command.correlationID,
                                 value: try WireJSON.encode(reply), timeout: replyTimeout)
        logger.debug("command reply sent",
                     ids.merging(["command.outcome": reply.outcome.rawValue]) { _, new in new })
    }
}
