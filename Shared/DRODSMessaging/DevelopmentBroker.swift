import CRDKafka
import DRODSCore
import Foundation

/// An in-process Kafka cluster for development and tests: librdkafka's mock cluster, which
/// serves the Kafka protocol over TCP on loopback, so other processes can connect to it too.
/// It keeps messages and committed offsets in memory only.
///
/// The brokers listen on ports the system picks; read them from `bootstrapServers`.
///
/// `@unchecked Sendable`: the mock cluster runs on its own librdkafka thread, and the pointers
/// here are only changed by `close()` under `lock`.
public final class DevelopmentBroker: @unchecked Sendable {
    /// `host:port` list of the brokers, for `KafkaConfiguration.brokers`.
    public let bootstrapServers: String

    private let lock = NSLock()
    /// The client that the mock cluster is attached to; it never connects anywhere.
    private var handle: RDKafkaHandle?
    private var socketTuner: BrokerSocketTuner?
    /// Owned here; destroyed in `close()` before `handle`.
    private var cluster: OpaquePointer?
    private let logger: Logger

    /// Starts `brokerCount` brokers and creates `topics` with `partitions` partitions each
    /// (replication factor 1) before returning.
    /// - Throws: `KafkaError` when the cluster cannot start or a topic cannot be created.
    public init(brokerCount: Int = 1, topics: [String] = Topics.all, partitions: Int = 6,
                logger: Logger) throws {
        let config = RDKafkaConfig()
        // The client exists only to host the cluster; keep its own warnings (no bootstrap
        // servers configured) out of the log.
        try config.set("log_level", "3")
        let handle = try RDKafkaHandle(RD_KAFKA_PRODUCER, config: config,
                                       context: RDKafkaCallbackContext(logger: logger))
        guard let cluster = rd_kafka_mock_cluster_new(handle.pointer, Int32(brokerCount)) else {
            throw KafkaError(code: .clientCreation,
                             message: "could not start a mock Kafka cluster with \(brokerCount) brokers")
        }

        self.handle = handle
        self.cluster = cluster
        self.logger = logger
        self.bootstrapServers = String(cString: rd_kafka_mock_cluster_bootstraps(cluster))
        for topic in topics {
            try createTopic(topic, partitions: partitions)
        }
        let tuner = BrokerSocketTuner(bootstrapServers: bootstrapServers)
        tuner.start()
        socketTuner = tuner
        logger.info("development Kafka broker started", [
            .kafkaBrokers: bootstrapServers, .count: String(topics.count),
        ])
    }

    deinit {
        close()
    }

    /// Creates a topic with replication factor 1.
    /// - Throws: `KafkaError` when the broker is closed or rejects the topic.
    public func createTopic(_ name: String, partitions: Int) throws {
        try lock.withLock {
            guard let cluster else {
                throw KafkaError(code: .closed, message: "the development broker is closed")
            }
            let result = rd_kafka_mock_topic_create(cluster, name, Int32(partitions), 1)
            guard result == RD_KAFKA_RESP_ERR_NO_ERROR else {
                throw KafkaError(result, context: "creating topic \(name) on the development broker failed")
            }
        }
    }

    /// Stops the brokers; connected clients lose their connections. Later calls return at once.
    public func close() {
        let (cluster, handle) = lock.withLock {
            defer {
                self.cluster = nil
                self.handle = nil
            }
            return (self.cluster, self.handle)
        }
        guard let cluster else { return }
        let tuner = lock.withLock { socketTuner }
        tuner?.close()
        rd_kafka_mock_cluster_destroy(cluster)
        logger.info("development Kafka broker stopped", [.kafkaBrokers: bootstrapServers])
        // The cluster is gone, so dropping the last reference to `handle` may destroy it now.
        withExtendedLifetime(handle) {}
    }
}
