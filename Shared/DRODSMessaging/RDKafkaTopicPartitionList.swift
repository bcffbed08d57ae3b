import CRDKafka

/// Owns an `rd_kafka_topic_partition_list_t` and destroys it in `deinit`.
final class RDKafkaTopicPartitionList {
    let pointer: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>

    init(capacity: Int = 1) {
        pointer = rd_kafka_topic_partition_list_new(Int32(capacity))
    }

    deinit {
        rd_kafka_topic_partition_list_destroy(pointer)
    }

    /// Adds one partition; `offset` is an absolute offset or one of the logical offsets in
    /// `RDKafkaOffset`.
    func add(topic: String, partition: Int32, offset: Int64) {
        let element = rd_kafka_topic_partition_list_add(pointer, topic, partition)!
        element.pointee.offset = offset
    }

    /// Renders a list (owned by anyone) as `topic[0,1,2]` entries for log lines.
    static func describe(_ list: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?) -> String {
        guard let list else { return "" }
        var partitionsByTopic: [String: [Int32]] = [:]
        for index in 0..<Int(list.pointee.cnt) {
            let element = list.pointee.elems[index]
            partitionsByTopic[String(cString: element.topic), default: []].append(element.partition)
        }
        return partitionsByTopic.keys.sorted().map { topic in
            let partitions = partitionsByTopic[topic]!.sorted().map(String.init)
            return "\(topic)[\(partitions.joined(separator: ","))]"
        }.joined(separator: " ")
    }
}

/// librdkafka's logical offsets and partition values. They are `#define`s with casts, which
/// Swift does not import.
enum RDKafkaOffset {
    static let beginning: Int64 = -2
    static let end: Int64 = -1
    static let unassignedPartition: Int32 = -1
}
