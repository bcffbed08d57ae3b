import DRODSCore
import DRODSMessaging
import Foundation

/// Settings every service reads at start, from environment variables. Each one is listed with
/// its default in `Docs/configuration.md`.
public struct ServiceConfiguration: Sendable {
    /// Service name, used in logs, metrics and Kafka client ids (`gateway`, `scheduler`, …).
    public var service: String
    /// Distinguishes replicas of one service in logs; defaults to host name and process id.
    public var instanceID: String
    public var postgresURL: String
    public var kafka: KafkaConfiguration
    public var adminHost: String
    public var adminPort: Int
    /// File to write the bound admin port to, for launchers that start the service on port 0.
    public var adminPortFile: String?
    public var logLevel: LogLevel
    /// How long to keep trying PostgreSQL and Kafka at start before giving up.
    public var startupRetry: RetryPolicy
    /// Maximum database connections this process opens.
    public var databasePoolSize: Int
    /// Seconds that shutdown waits for workers to finish in-flight work.
    public var shutdownGrace: Double
    /// Consumers of an owner's command topic in this process; more than the topic's
    /// partitions leaves the extra ones idle.
    public var commandWorkers: Int
    /// Commands for different resources that one consumer handles at once. Each takes a
    /// database connection while it runs, so keep it below `databasePoolSize`.
    public var commandParallelism: Int

    public static func fromEnvironment(service: String, defaultAdminPort: Int,
                                       environment env: Environment) throws -> ServiceConfiguration {
        let host = ProcessInfo.processInfo.hostName
        return ServiceConfiguration(
            service: service,
            instanceID: env.string("DRODS_INSTANCE_ID", default: "\(host)-\(getpid())"),
            postgresURL: env.string("DRODS_POSTGRES_URL",
                                    default: "postgresql://postgres@127.0.0.1:5432/drods"),
            kafka: try KafkaConfiguration.fromEnvironment(env, clientID: "drods-\(service)"),
            adminHost: env.string("DRODS_ADMIN_HOST", default: "127.0.0.1"),
            adminPort: try env.int("DRODS_ADMIN_PORT", default: defaultAdminPort, range: 0...65535),
            adminPortFile: env.optionalString("DRODS_ADMIN_PORT_FILE"),
            logLevel: try env.logLevel("DRODS_LOG_LEVEL", default: .info),
            startupRetry: RetryPolicy(
                attempts: try env.int("DRODS_STARTUP_ATTEMPTS", default: 30, range: 1...10_000),
                initialDelay: try env.double("DRODS_STARTUP_RETRY_DELAY_S", default: 0.5,
                                             range: 0.01...60),
                maxDelay: 5),
            databasePoolSize: try env.int("DRODS_DB_POOL_SIZE", default: 8, range: 1...200),
            shutdownGrace: try env.double("DRODS_SHUTDOWN_GRACE_S", default: 10, range: 0...300),
            commandWorkers: try env.int("DRODS_COMMAND_WORKERS", default: 1, range: 1...64),
            commandParallelism: try env.int("DRODS_COMMAND_PARALLELISM", default: 6, range: 1...64))
    }
}

/// Connection strings with the password replaced, for logs.
public enum Redaction {
    public static func url(_ value: String) -> String {
        guard var components = URLComponents(string: value), components.password != nil else {
            return value.replacingOccurrences(
                of: #"password\s*=\s*\S+"#, with: "password=***", options: .regularExpression)
        }
        components.password = "***"
        return components.string ?? "***"
    }
}
