/// A message of a batch that its handler can never process, with the reason; the consumer
/// moves it to the dead-letter topic before it stores the batch's offsets.
public struct UndecodableMessage: Sendable {
    public let message: KafkaMessage
    /// Sent in the `drods-dlq-reason` header, so it must not contain secrets.
    public let reason: String

    public init(message: KafkaMessage, reason: String) {
        self.message = message
        self.reason = reason
    }
}
