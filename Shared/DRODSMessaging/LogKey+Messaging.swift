import DRODSCore

// Metadata keys that only the messaging layer writes. They follow the dotted naming of
// `LogKey` in DRODSCore so that operators can filter on them the same way.
extension LogKey {
    public static let kafkaClientID: LogKey = "kafka.client.id"
    public static let kafkaBrokers: LogKey = "kafka.brokers"
    public static let kafkaErrorName: LogKey = "kafka.error.name"
    public static let kafkaFacility: LogKey = "kafka.facility"
    public static let kafkaAssignment: LogKey = "kafka.assignment"
    public static let deadLetterReason: LogKey = "kafka.dlq.reason"
    public static let retryDelaySeconds: LogKey = "retry.delay.s"
}
