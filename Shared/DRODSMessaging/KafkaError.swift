import CRDKafka

/// A failure of the Kafka layer: a configuration key librdkafka rejected, a client that could
/// not be created, a message that was not delivered, or an error reported by a broker.
public struct KafkaError: Error, CustomStringConvertible, Sendable {
    /// The kind of failure. A struct rather than an enum so that new kinds can be added
    /// without breaking callers that switch over the known ones.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String

        public init(_ rawValue: String) { self.rawValue = rawValue }

        public var description: String { rawValue }

        /// librdkafka rejected a configuration key or value.
        public static let configuration = Code("configuration")
        /// `rd_kafka_new` failed.
        public static let clientCreation = Code("clientCreation")
        /// librdkafka or a broker returned an error; `name` contains its librdkafka name.
        public static let broker = Code("broker")
        /// The local producer queue stayed full for the whole wait.
        public static let queueFull = Code("queueFull")
        /// The broker did not confirm a message or an operation in time.
        public static let timedOut = Code("timedOut")
        /// The client was already closed.
        public static let closed = Code("closed")
        /// The caller passed a value the operation cannot use.
        public static let invalidArgument = Code("invalidArgument")
    }

    public let code: Code
    /// Plain-language description of the failure and the value involved.
    public let message: String
    /// True when the same operation may succeed if tried again later.
    public let isRetriable: Bool
    /// librdkafka's name of the error (for example `MSG_TIMED_OUT`), nil when the error did not
    /// come from librdkafka.
    public let name: String?

    public init(code: Code, message: String, isRetriable: Bool = false, name: String? = nil) {
        self.code = code
        self.message = message
        self.isRetriable = isRetriable
        self.name = name
    }

    public var description: String {
        guard let name else { return "Kafka \(code): \(message)" }
        return "Kafka \(code) (\(name)): \(message)"
    }
}

// MARK: - Conversions from librdkafka

extension KafkaError {
    /// Builds an error from a response code, for the calls that return `rd_kafka_resp_err_t`.
    /// `detail` replaces librdkafka's generic text for the code when the call gave a more
    /// specific one.
    init(_ error: rd_kafka_resp_err_t, context: String, detail: String? = nil) {
        let name = String(cString: rd_kafka_err2name(error))
        let detail = detail.flatMap { $0.isEmpty ? nil : $0 } ?? String(cString: rd_kafka_err2str(error))
        let code: Code = switch error {
        case RD_KAFKA_RESP_ERR__QUEUE_FULL: .queueFull
        case RD_KAFKA_RESP_ERR__TIMED_OUT, RD_KAFKA_RESP_ERR__MSG_TIMED_OUT,
             RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT: .timedOut
        default: .broker
        }
        self.init(code: code, message: "\(context): \(detail)",
                  isRetriable: Self.retriableCodes.contains(error.rawValue), name: name)
    }

    /// Builds an error from an `rd_kafka_error_t` and frees it, so every call site that receives
    /// one hands it here and never touches it again.
    init(consuming error: OpaquePointer, context: String) {
        defer { rd_kafka_error_destroy(error) }
        let responseCode = rd_kafka_error_code(error)
        let name = String(cString: rd_kafka_error_name(error))
        let detail = String(cString: rd_kafka_error_string(error))
        let code: Code = responseCode == RD_KAFKA_RESP_ERR__QUEUE_FULL ? .queueFull : .broker
        self.init(code: code, message: "\(context): \(detail)",
                  isRetriable: rd_kafka_error_is_retriable(error) != 0
                      || Self.retriableCodes.contains(responseCode.rawValue),
                  name: name)
    }

    /// Response codes after which a retry can succeed: local back-pressure, timeouts, lost
    /// connections and leadership changes. librdkafka's own retry flag covers `rd_kafka_error_t`
    /// values, but plain response codes carry no such flag.
    private static let retriableCodes: Set<Int32> = Set([
        RD_KAFKA_RESP_ERR__QUEUE_FULL, RD_KAFKA_RESP_ERR__TIMED_OUT,
        RD_KAFKA_RESP_ERR__MSG_TIMED_OUT, RD_KAFKA_RESP_ERR__TRANSPORT,
        RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN, RD_KAFKA_RESP_ERR__WAIT_COORD,
        RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT, RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION,
        RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE, RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS,
        RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS_AFTER_APPEND, RD_KAFKA_RESP_ERR_NOT_COORDINATOR,
        RD_KAFKA_RESP_ERR_COORDINATOR_NOT_AVAILABLE, RD_KAFKA_RESP_ERR_COORDINATOR_LOAD_IN_PROGRESS,
        RD_KAFKA_RESP_ERR_NETWORK_EXCEPTION,
    ].map(\.rawValue))
}
