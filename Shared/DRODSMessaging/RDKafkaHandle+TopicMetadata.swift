import CRDKafka
import DRODSCore

extension RDKafkaHandle {
    /// Fetches the partitions and leaders of each of `topics` into this client.
    ///
    /// librdkafka 2.0.2 looks up a topic it has no metadata for about once per second, so
    /// without this the first message a producer sends to each topic waits up to a second. The
    /// topic objects stay in the client after their handles are released here.
    func loadTopicMetadata(_ topics: [String], timeout: Double) throws {
        for topic in topics {
            guard let topicHandle = rd_kafka_topic_new(pointer, topic, nil) else {
                throw KafkaError(rd_kafka_last_error(), context: "creating a handle for topic \(topic) failed")
            }
            defer { rd_kafka_topic_destroy(topicHandle) }
            var metadata: UnsafePointer<rd_kafka_metadata>?
            let result = rd_kafka_metadata(pointer, 0, topicHandle, &metadata, Self.milliseconds(timeout))
            guard result == RD_KAFKA_RESP_ERR_NO_ERROR, let metadata else {
                throw KafkaError(result, context: "reading the metadata of topic \(topic) failed")
            }
            rd_kafka_metadata_destroy(metadata)
        }
    }
}
