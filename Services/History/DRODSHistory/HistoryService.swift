import DRODSCore
import DRODSEventStore
import DRODSRuntime
import Foundation

/// The history service: runs the relay from the event log to Kafka on exactly one instance
/// (the holder of the `relay` advisory lock); other instances wait as standbys.
public enum HistoryService {
    public static let name = "history"
    public static let defaultAdminPort = 9105

    public static func makeRuntime(environment: Environment) throws -> ServiceRuntime {
        let configuration = try ServiceConfiguration.fromEnvironment(
            service: name, defaultAdminPort: defaultAdminPort, environment: environment)
        let logger = Logger(service: name, level: configuration.logLevel)
        return ServiceRuntime(configuration: configuration, logger: logger)
    }

    public static func workers(_ context: ServiceContext) throws -> [Worker] {
        let relay = Relay(pool: context.pool, producer: context.producer,
                          postgresURL: context.configuration.postgresURL,
                          logger: context.logger, metrics: context.metrics)
        let election = LeaderElection(url: context.configuration.postgresURL, name: "relay",
                                      logger: context.logger)
        let metrics = context.metrics
        return [
            Worker(name: "relay-election") { stop in
                election.run(stop: stop) { term in
                    metrics.set("drods_relay_leader", help: "1 while this instance runs the relay.", to: 1)
                    relay.run(stop: term)
                    metrics.set("drods_relay_leader", help: "1 while this instance runs the relay.", to: 0)
                }
            },
        ]
    }
}
