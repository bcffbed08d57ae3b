import DRODSCore

/// Connection settings shared by every Kafka client of a service. The typed fields cover what
/// the control plane decides itself; `options` passes any other librdkafka property through.
public struct KafkaConfiguration: Sendable {
    /// Comma-separated `host:port` list of bootstrap brokers.
    public var brokers: String
    /// Client id reported to the brokers; shows up in broker logs and quotas.
    public var clientID: String
    /// Partition count for topics that `TopicAdmin.ensureTopics` creates.
    public var partitions: Int
    /// Replication factor for topics that `TopicAdmin.ensureTopics` creates.
    public var replicationFactor: Int
    /// Maximum time, in milliseconds, a consumer's fetch waits at the broker for data.
    /// A real broker responds as soon as data arrives, but librdkafka's mock cluster always waits
    /// the full time, so the development broker needs a small value for low latency.
    public var fetchWaitMaxMs: Int
    /// Milliseconds a producer waits to batch messages before sending them.
    public var lingerMs: Int
    /// Raw librdkafka properties (for example `security.protocol`). They are applied after the
    /// settings each client makes itself, so they override them.
    public var options: [String: String]

    public init(brokers: String, clientID: String, partitions: Int = 6, replicationFactor: Int = 1,
                fetchWaitMaxMs: Int = 100, lingerMs: Int = 5, options: [String: String] = [:]) {
        self.brokers = brokers
        self.clientID = clientID
        self.partitions = partitions
        self.replicationFactor = replicationFactor
        self.fetchWaitMaxMs = fetchWaitMaxMs
        self.lingerMs = lingerMs
        self.options = options
    }

    /// Reads `DRODS_KAFKA_BROKERS` (default `127.0.0.1:9092`), `DRODS_KAFKA_PARTITIONS`
    /// (1...1000, default 6), `DRODS_KAFKA_REPLICATION_FACTOR` (1...10, default 1) and
    /// `DRODS_KAFKA_FETCH_WAIT_MAX_MS` (1...10000, default 100),
    /// `DRODS_KAFKA_LINGER_MS` (0...10000, default 5) and `DRODS_KAFKA_OPTIONS`
    /// (comma-separated `key=value` librdkafka properties).
    /// - Throws: `ConfigurationError` naming the variable when a value is invalid.
    public static func fromEnvironment(_ env: Environment, clientID: String) throws
        -> KafkaConfiguration
    {
        KafkaConfiguration(
            brokers: env.string("DRODS_KAFKA_BROKERS", default: "127.0.0.1:9092"),
            clientID: clientID,
            partitions: try env.int("DRODS_KAFKA_PARTITIONS", default: 6, range: 1...1000),
            replicationFactor: try env.int("DRODS_KAFKA_REPLICATION_FACTOR", default: 1,
                                           range: 1...10),
            fetchWaitMaxMs: try env.int("DRODS_KAFKA_FETCH_WAIT_MAX_MS", default: 100,
                                        range: 1...10_000),
            lingerMs: try env.int("DRODS_KAFKA_LINGER_MS", default: 5, range: 0...10_000),
            options: try env.keyValuePairs("DRODS_KAFKA_OPTIONS"))
    }

    /// Properties every client starts from: brokers, client id and TCP_NODELAY. The caller adds its own
    /// settings, then `options` on top.
    var baseProperties: [(String, String)] {
        // Nagle's algorithm delays small requests until the previous one is acknowledged,
        // which with delayed ACKs adds about 40 ms to a lone command or reply.
        [("bootstrap.servers", brokers), ("client.id", clientID), ("socket.nagle.disable", "true")]
    }
}
