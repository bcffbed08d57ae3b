import CRDKafka
import DRODSCore
import Foundation

/// Creates the topics a service needs at start and reads what exists.
public enum TopicAdmin {
    /// Creates those of `names` that the cluster lacks, with `configuration.partitions`
    /// partitions and `configuration.replicationFactor` replicas, and returns the names it
    /// created. Existing topics are left unchanged, whatever their partition count.
    ///
    /// The cluster's metadata is read first, so nothing is requested when every topic exists.
    /// A topic that another process creates at the same moment (`TOPIC_ALREADY_EXISTS`)
    /// counts as existing.
    ///
    /// NOTE: librdkafka 2.0.2's mock cluster fails every CreateTopics request with a timeout
    /// ("Failed while waiting for controller"). Against it this only succeeds when the topics
    /// exist already, which is why `DevelopmentBroker` creates them up front.
    /// - Parameter timeout: seconds for the metadata request and again for the creation.
    /// - Throws: `KafkaError` when the cluster does not answer in time or rejects a topic.
    @discardableResult
    public static func ensureTopics(_ names: [String], configuration: KafkaConfiguration,
                                    logger: Logger, timeout: Double = 30) throws -> [String] {
        let handle = try makeAdminHandle(configuration: configuration, logger: logger)
        let existing = try handle.topicPartitionCounts(timeout: timeout)
        var seen = Set<String>()
        let missing = names.filter { !existing.keys.contains($0) && seen.insert($0).inserted }
        guard !missing.isEmpty else {
            logger.debug("Kafka topics already exist", [.count: String(names.count)])
            return []
        }

        logger.info("creating Kafka topics", [
            .topic: missing.joined(separator: ","), "kafka.partitions": String(configuration.partitions),
            "kafka.replication.factor": String(configuration.replicationFactor),
        ])
        let created = try createTopics(missing, configuration: configuration, handle: handle,
                                       timeout: timeout)
        if !created.isEmpty {
            logger.info("Kafka topics created", [.topic: created.joined(separator: ",")])
        }
        return created
    }

    /// Returns every topic of the cluster with its partition count.
    public static func partitionCounts(configuration: KafkaConfiguration, logger: Logger,
                                       timeout: Double = 30) throws -> [String: Int] {
        try makeAdminHandle(configuration: configuration, logger: logger)
            .topicPartitionCounts(timeout: timeout)
    }

    // MARK: - Internals

    private static func makeAdminHandle(configuration: KafkaConfiguration,
                                        logger: Logger) throws -> RDKafkaHandle {
        let config = try RDKafkaConfig(configuration, settings: [])
        return try RDKafkaHandle(RD_KAFKA_PRODUCER, config: config,
                                 context: RDKafkaCallbackContext(logger: logger))
    }

    /// Sends one CreateTopics request and waits for its result; returns the topics it created.
    private static func createTopics(_ names: [String], configuration: KafkaConfiguration,
                                     handle: RDKafkaHandle, timeout: Double) throws -> [String] {
        var reason = [CChar](repeating: 0, count: 512)

        // Each NewTopic is ours; `rd_kafka_CreateTopics` copies them.
        var newTopics: [OpaquePointer?] = []
        defer { newTopics.forEach { rd_kafka_NewTopic_destroy($0) } }
        for name in names {
            guard let topic = rd_kafka_NewTopic_new(name, Int32(configuration.partitions),
                                                    Int32(configuration.replicationFactor),
                                                    &reason, reason.count) else {
                throw KafkaError(code: .invalidArgument,
                                 message: "invalid topic \(name): \(String(nulTerminated: reason))")
            }
            newTopics.append(topic)
        }

        let options = rd_kafka_AdminOptions_new(handle.pointer, RD_KAFKA_ADMIN_OP_CREATETOPICS)
        defer { rd_kafka_AdminOptions_destroy(options) }
        let milliseconds = RDKafkaHandle.milliseconds(timeout)
        _ = rd_kafka_AdminOptions_set_request_timeout(options, milliseconds, &reason, reason.count)
        _ = rd_kafka_AdminOptions_set_operation_timeout(options, milliseconds, &reason, reason.count)

        let queue = rd_kafka_queue_new(handle.pointer)
        defer { rd_kafka_queue_destroy(queue) }
        rd_kafka_CreateTopics(handle.pointer, &newTopics, newTopics.count, options, queue)

        // The request timeout above makes librdkafka post a result by itself; the extra second
        // covers the hand-over to this queue.
        guard let event = rd_kafka_queue_poll(queue, milliseconds + 1000) else {
            throw KafkaError(code: .timedOut,
                             message: "creating topics \(names.joined(separator: ", ")) timed out after \(timeout) s",
                             isRetriable: true)
        }
        defer { rd_kafka_event_destroy(event) }

        let eventError = rd_kafka_event_error(event)
        guard eventError == RD_KAFKA_RESP_ERR_NO_ERROR else {
            let detail = rd_kafka_event_error_string(event).map { String(cString: $0) }
            throw KafkaError(eventError,
                             context: "creating topics \(names.joined(separator: ", ")) failed",
                             detail: detail)
        }
        guard let result = rd_kafka_event_CreateTopics_result(event) else {
            throw KafkaError(code: .broker, message: "creating topics returned an unexpected event")
        }

        var count = 0
        guard let results = rd_kafka_CreateTopics_result_topics(result, &count) else { return [] }
        var created: [String] = []
        for index in 0..<count {
            let topicResult = results[index]
            let name = String(cString: rd_kafka_topic_result_name(topicResult))
            let error = rd_kafka_topic_result_error(topicResult)
            switch error {
            case RD_KAFKA_RESP_ERR_NO_ERROR:
                created.append(name)
            case RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS:
                continue
            default:
                let detail = rd_kafka_topic_result_error_string(topicResult)
                    .map { String(cString: $0) }
                throw KafkaError(error, context: "creating topic \(name) failed", detail: detail)
            }
        }
        return created
    }
}
