import CRDKafka
import DRODSCore

/// Applies the partitions the group coordinator hands out or takes away, and logs each change.
/// librdkafka calls it from `rd_kafka_consumer_poll` and `rd_kafka_consumer_close` on the
/// consumer's thread. With the default eager assignors (`range,roundrobin`) the whole assignment
/// is replaced; with `cooperative-sticky` set through the options only the change is applied.
let rdKafkaRebalanceCallback: @convention(c) (
    OpaquePointer?, rd_kafka_resp_err_t, UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?,
    UnsafeMutableRawPointer?
) -> Void = { handle, reason, partitions, _ in
    guard let handle else { return }
    let logger = RDKafkaCallbackContext.of(handle)?.logger
    let protocolName = rd_kafka_rebalance_protocol(handle).map { String(cString: $0) } ?? "NONE"
    let cooperative = protocolName == "COOPERATIVE"
    let assignment = RDKafkaTopicPartitionList.describe(partitions)

    switch reason {
    case RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS:
        logger?.info("Kafka partitions assigned", [.kafkaAssignment: assignment])
        if cooperative {
            if let error = rd_kafka_incremental_assign(handle, partitions) {
                logFailure(logger, KafkaError(consuming: error, context: "assigning partitions failed"))
            }
        } else {
            let result = rd_kafka_assign(handle, partitions)
            if result != RD_KAFKA_RESP_ERR_NO_ERROR {
                logFailure(logger, KafkaError(result, context: "assigning partitions failed"))
            }
        }

    case RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS:
        // With auto commit on, librdkafka commits the stored offsets of revoked partitions
        // before they go to another member.
        logger?.info("Kafka partitions revoked", [.kafkaAssignment: assignment])
        if cooperative {
            if let error = rd_kafka_incremental_unassign(handle, partitions) {
                logFailure(logger, KafkaError(consuming: error, context: "revoking partitions failed"))
            }
        } else {
            _ = rd_kafka_assign(handle, nil)
        }

    default:
        // librdkafka requires dropping the assignment on any other rebalance error.
        logFailure(logger, KafkaError(reason, context: "consumer group rebalance failed"))
        _ = rd_kafka_assign(handle, nil)
    }
}

private func logFailure(_ logger: Logger?, _ error: KafkaError) {
    logger?.error("\(error)", [.kafkaErrorName: error.name ?? ""])
}
