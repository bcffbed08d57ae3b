import CRDKafka
import Foundation

/// A message read from Kafka, copied out of librdkafka's buffers so that it outlives them.
public struct KafkaMessage: Sendable, Equatable {
    public var topic: String
    public var partition: Int32
    public var offset: Int64
    /// The key as UTF-8 text, nil when the message has no key. Invalid UTF-8 sequences are
    /// replaced by U+FFFD.
    public var key: String?
    public var value: Data
    /// Header values as UTF-8 text. When a name repeats, the last value wins.
    public var headers: [String: String]
    /// Milliseconds since the Unix epoch (create or log-append time), nil when the broker did
    /// not provide one.
    public var timestamp: Int64?

    public init(topic: String, partition: Int32, offset: Int64, key: String?, value: Data,
                headers: [String: String] = [:], timestamp: Int64? = nil) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.key = key
        self.value = value
        self.headers = headers
        self.timestamp = timestamp
    }

    /// Copies a consumed message whose `err` is `NO_ERROR`. The caller still owns `message`
    /// and destroys it afterwards.
    init(copying message: UnsafeMutablePointer<rd_kafka_message_t>) {
        let raw = message.pointee
        topic = String(cString: rd_kafka_topic_name(raw.rkt))
        partition = raw.partition
        offset = raw.offset

        if let keyBytes = raw.key {
            let buffer = UnsafeRawBufferPointer(start: keyBytes, count: raw.key_len)
            key = String(decoding: buffer, as: UTF8.self)
        } else {
            key = nil
        }
        value = raw.payload.map { Data(bytes: $0, count: raw.len) } ?? Data()
        headers = RDKafkaHeaders.read(from: message)

        var timestampType = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE
        let milliseconds = rd_kafka_message_timestamp(message, &timestampType)
        timestamp = timestampType == RD_KAFKA_TIMESTAMP_NOT_AVAILABLE ? nil : milliseconds
    }
}
