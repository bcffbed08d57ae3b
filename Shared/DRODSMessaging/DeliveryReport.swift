/// Location of a produced message that the broker stored.
public struct DeliveryReport: Sendable, Equatable {
    public var topic: String
    public var partition: Int32
    /// The message's offset, or -1001 (librdkafka's `RD_KAFKA_OFFSET_INVALID`) when an
    /// idempotent producer retried a message that the broker had already stored.
    public var offset: Int64

    public init(topic: String, partition: Int32, offset: Int64) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
    }
}
