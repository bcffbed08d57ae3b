import CRDKafka
import DRODSCore
import Foundation

/// Owns one `rd_kafka_t` and destroys it in `deinit`. The owner of the handle (a producer,
/// consumer, admin call or development broker) stops its own poll threads before it drops the
/// last reference, so no thread uses the pointer after `rd_kafka_destroy`.
///
/// `@unchecked Sendable`: the pointer never changes after `init`, and librdkafka allows calls on
/// one `rd_kafka_t` from several threads.
final class RDKafkaHandle: @unchecked Sendable {
    let pointer: OpaquePointer
    /// Target of librdkafka's callbacks through the configuration opaque. Stored here so that it
    /// stays alive until `rd_kafka_destroy` has returned and no callback can run any more.
    let context: RDKafkaCallbackContext

    /// Creates the client. `config` is consumed: on success `rd_kafka_new` owns it, on failure
    /// it stays with `config` and is freed there.
    init(_ type: rd_kafka_type_t, config: RDKafkaConfig, context: RDKafkaCallbackContext) throws {
        self.context = context
        config.withPointer { conf in
            // Unretained: `self.context` keeps the context alive for the life of the handle.
            rd_kafka_conf_set_opaque(conf, Unmanaged.passUnretained(context).toOpaque())
            rd_kafka_conf_set_log_cb(conf, rdKafkaLogCallback)
            rd_kafka_conf_set_error_cb(conf, rdKafkaErrorCallback)
        }

        var reason = [CChar](repeating: 0, count: 512)
        let created = config.withPointer { conf in
            rd_kafka_new(type, conf, &reason, reason.count)
        }
        guard let created else {
            throw KafkaError(code: .clientCreation,
                             message: "could not create the Kafka client: \(String(nulTerminated: reason))")
        }
        // `rd_kafka_new` succeeded and took ownership of the configuration.
        config.markTransferred()
        pointer = created
    }

    deinit {
        rd_kafka_destroy(pointer)
    }

    /// Reads the cluster's topics with their partition counts. Topics whose metadata carries an
    /// error (for example one being deleted) are left out.
    func topicPartitionCounts(timeout: Double) throws -> [String: Int] {
        var metadata: UnsafePointer<rd_kafka_metadata>?
        let result = rd_kafka_metadata(pointer, 1, nil, &metadata, Self.milliseconds(timeout))
        guard result == RD_KAFKA_RESP_ERR_NO_ERROR, let metadata else {
            throw KafkaError(result, context: "reading cluster metadata failed")
        }
        defer { rd_kafka_metadata_destroy(metadata) }

        var counts: [String: Int] = [:]
        for index in 0..<Int(metadata.pointee.topic_cnt) {
            let topic = metadata.pointee.topics[index]
            guard topic.err == RD_KAFKA_RESP_ERR_NO_ERROR else { continue }
            counts[String(cString: topic.topic)] = Int(topic.partition_cnt)
        }
        return counts
    }

    /// Converts seconds to librdkafka's millisecond timeouts, clamped to what an `Int32` holds.
    static func milliseconds(_ seconds: Double) -> Int32 {
        Int32(max(0, min(Double(Int32.max), (seconds * 1000).rounded(.up))))
    }
}

// MARK: - Callback context

/// State that librdkafka's C callbacks reach through the configuration opaque: the logger of
/// the client, for librdkafka's own log lines, errors and rebalances.
///
/// `@unchecked Sendable`: every field is immutable and `Logger` is `Sendable`.
final class RDKafkaCallbackContext: @unchecked Sendable {
    let logger: Logger

    init(logger: Logger) {
        self.logger = logger
    }

    /// Returns the context stored as opaque on `handle`, or nil when none was set.
    static func of(_ handle: OpaquePointer?) -> RDKafkaCallbackContext? {
        guard let handle, let opaque = rd_kafka_opaque(handle) else { return nil }
        return Unmanaged<RDKafkaCallbackContext>.fromOpaque(opaque).takeUnretainedValue()
    }
}

/// Forwards librdkafka's log lines, which use syslog levels (0 emergency to 7 debug), to the
/// client's logger. Runs on librdkafka's internal threads.
private let rdKafkaLogCallback: @convention(c) (
    OpaquePointer?, Int32, UnsafePointer<CChar>?, UnsafePointer<CChar>?
) -> Void = { handle, level, facility, line in
    guard let context = RDKafkaCallbackContext.of(handle), let line else { return }
    let mapped: LogLevel = switch level {
    case ...2: .critical
    case 3: .error
    case 4: .warning
    case 5: .notice
    case 6: .info
    default: .debug
    }
    let facilityName = facility.map { String(cString: $0) } ?? ""
    context.logger.log(mapped, "librdkafka: \(String(cString: line))",
                       [.kafkaFacility: facilityName])
}

/// Logs errors that librdkafka reports outside any call, such as lost broker connections.
/// Most are transient and librdkafka recovers by itself, so they are warnings unless fatal.
private let rdKafkaErrorCallback: @convention(c) (
    OpaquePointer?, Int32, UnsafePointer<CChar>?, UnsafeMutableRawPointer?
) -> Void = { handle, code, reason, _ in
    guard let context = RDKafkaCallbackContext.of(handle) else { return }
    let error = rd_kafka_resp_err_t(rawValue: code)
    let name = String(cString: rd_kafka_err2name(error))
    let text = reason.map { String(cString: $0) } ?? ""
    let level: LogLevel = error == RD_KAFKA_RESP_ERR__FATAL ? .error : .warning
    context.logger.log(level, "Kafka client error: \(text)", [.kafkaErrorName: name])
}
