import DRODSCore
import DRODSEventStore
import DRODSRuntime
import DRODSMessaging
import Foundation

/// The PostgreSQL and Kafka a benchmark runs against: the ones given, or a private server
/// and the development broker started for the run and removed after it.
final class BenchEnvironment: @unchecked Sendable {
    let postgresURL: String
    let kafkaBrokers: String
    let postgresDescription: String
    private var postgres: LocalPostgres?
    private var broker: DevelopmentBroker?
    private var folder: URL?

    init(postgresURL: String?, kafkaBrokers: String?, logger: Logger) throws {
        if let postgresURL {
            self.postgresURL = postgresURL
            postgresDescription = Redaction.url(postgresURL)
        } else {
            let folder = URL(fileURLWithPath: "/var/tmp/drods-bench-\(getpid())")
            let server = LocalPostgres(options: .init(dataDirectory: folder), logger: logger)
            try server.start()
            try server.createDatabase("bench")
            self.folder = folder
            postgres = server
            self.postgresURL = server.url(database: "bench")
            postgresDescription = "private server on 127.0.0.1:\(server.port) (fsync on)"
        }
        if let kafkaBrokers {
            self.kafkaBrokers = kafkaBrokers
        } else {
            let started = try DevelopmentBroker(topics: Topics.all, logger: logger)
            broker = started
            self.kafkaBrokers = started.bootstrapServers
        }
        let connection = try PQConnection(url: self.postgresURL)
        defer { connection.close() }
        try Migrations.apply(on: connection, logger: logger)
    }

    func close() {
        broker?.close()
        postgres?.stop()
        if let folder { try? FileManager.default.removeItem(at: folder) }
    }
}
