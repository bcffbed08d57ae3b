import DRODSCore
import DRODSMessaging
import Foundation

/// One development broker (librdkafka's mock cluster) per test process, with the project's
/// topics created. Child processes reach it over TCP on loopback.
public enum TestBroker {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var broker: DevelopmentBroker?

    public static func bootstrapServers() throws -> String {
        try lock.withLock {
            if let broker { return broker.bootstrapServers }
            let started = try DevelopmentBroker(topics: Topics.all, logger: TestPostgres.quietLogger)
            broker = started
            return started.bootstrapServers
        }
    }
}
