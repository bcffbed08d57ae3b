/// Headers that the consumer adds to a message it moves to the dead-letter topic. The original
/// key, value and headers are kept unchanged.
public enum DeadLetterHeaders {
    /// The `UndecodableMessageError.reason` the handler gave.
    public static let reason = "drods-dlq-reason"
    /// The topic the message was read from.
    public static let topic = "drods-dlq-topic"
    /// The partition the message was read from, in decimal.
    public static let partition = "drods-dlq-partition"
    /// The message's offset in that partition, in decimal.
    public static let offset = "drods-dlq-offset"
    /// The consumer group that could not process it.
    public static let group = "drods-dlq-group"
}
