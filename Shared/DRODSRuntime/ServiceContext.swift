import DRODSCore
import DRODSEventStore
import DRODSMessaging
import Foundation

/// What a service's workers share once the runtime has reached PostgreSQL and Kafka.
public final class ServiceContext: @unchecked Sendable {
    public let configuration: ServiceConfiguration
    public let logger: Logger
    public let metrics: MetricsRegistry
    public let pool: ConnectionPool
    public let store: EventStore
    public let producer: KafkaProducer
    /// Raised when the service shuts down; every worker loop watches it.
    public let stop: StopSignal
    public let readiness: Readiness

    init(configuration: ServiceConfiguration, logger: Logger, metrics: MetricsRegistry,
         pool: ConnectionPool, producer: KafkaProducer, stop: StopSignal, readiness: Readiness) {
        self.configuration = configuration
        self.logger = logger
        self.metrics = metrics
        self.pool = pool
        self.store = EventStore(pool: pool)
        self.producer = producer
        self.stop = stop
        self.readiness = readiness
    }
}

/// A long-running loop of a service, run on a thread of its own. `body` returns when the
/// signal it is given is raised.
public struct Worker: Sendable {
    public let name: String
    public let body: @Sendable (StopSignal) -> Void

    public init(name: String, body: @escaping @Sendable (StopSignal) -> Void) {
        self.name = name
        self.body = body
    }
}

/// Named readiness checks behind `/readyz`: the service is ready when every check passes.
public final class Readiness: @unchecked Sendable {
    private let lock = NSLock()
    private var checks: [String: Bool] = [:]

    public init() {}

    public func set(_ name: String, _ passing: Bool) {
        lock.withLock { checks[name] = passing }
    }

    public var snapshot: [String: Bool] { lock.withLock { checks } }

    public var isReady: Bool {
        let current = snapshot
        return !current.isEmpty && current.values.allSatisfy { $0 }
    }
}
