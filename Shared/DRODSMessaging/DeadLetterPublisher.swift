import DRODSCore
import Foundation

/// Publishes undecodable messages of one consumer group to the dead-letter topic.
///
/// `@unchecked Sendable`: the fields are immutable and `KafkaProducer` is thread-safe.
final class DeadLetterPublisher: @unchecked Sendable {
    let topic: String
    let groupID: String
    private let producer: KafkaProducer
    /// True when the publisher created the producer and so must close it.
    private let ownsProducer: Bool

    init(topic: String, groupID: String, producer: KafkaProducer, ownsProducer: Bool) {
        self.topic = topic
        self.groupID = groupID
        self.producer = producer
        self.ownsProducer = ownsProducer
    }

    /// Publishes `message` unchanged apart from the `DeadLetterHeaders`, and waits until the
    /// broker has stored it.
    func publish(_ message: KafkaMessage, reason: String, timeout: Double) throws {
        var headers = message.headers
        headers[DeadLetterHeaders.reason] = reason
        headers[DeadLetterHeaders.topic] = message.topic
        headers[DeadLetterHeaders.partition] = String(message.partition)
        headers[DeadLetterHeaders.offset] = String(message.offset)
        headers[DeadLetterHeaders.group] = groupID
        try producer.sendAndWait(topic: topic, key: message.key, value: message.value,
                                 headers: headers, timeout: timeout)
    }

    func close() {
        if ownsProducer { producer.close() }
    }
}
