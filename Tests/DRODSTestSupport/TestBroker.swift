import DRODSCore
import DRODSMessaging
import Foundation

/// Development brokers (librdkafka's mock cluster) for tests, with the project's topics
/// created. Child processes reach them over TCP on loopback.
///
/// Tests that start services take a fresh broker each: the mock cluster lets a new member
/// join a consumer group only after the previous member's session expired, so services of
/// two tests in one group would wait on each other.
public enum TestBroker {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var shared: DevelopmentBroker?
    nonisolated(unsafe) private static var brokers: [DevelopmentBroker] = []

    /// Returns the address of a broker shared by the tests of this process that run no services.
    public static func bootstrapServers() throws -> String {
        try lock.withLock {
            if let shared { return shared.bootstrapServers }
            let started = try DevelopmentBroker(topics: Topics.all, logger: TestPostgres.quietLogger)
            shared = started
            return started.bootstrapServers
        }
    }

    /// Starts a broker of the caller's own, closed when the process exits, and returns its address.
    public static func fresh() throws -> String {
        let started = try DevelopmentBroker(topics: Topics.all, logger: TestPostgres.quietLogger)
        lock.withLock { brokers.append(started) }
        return started.bootstrapServers
    }
}
