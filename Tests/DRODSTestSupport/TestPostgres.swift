import DRODSCLI
import DRODSCore
import DRODSEventStore
import Foundation

/// One private PostgreSQL server per test process, started on first use in a temporary folder
/// and stopped when the process exits. Each test takes a fresh database of its own.
public enum TestPostgres {
    nonisolated(unsafe) private static var server: LocalPostgres?
    private static let lock = NSLock()
    nonisolated(unsafe) private static var counter = 0

    /// Returns the URL of a new, empty database with the project's migrations applied.
    public static func freshDatabase(migrated: Bool = true) throws -> String {
        let server = try shared()
        let name = lock.withLock { () -> String in
            counter += 1
            return "test_\(getpid())_\(counter)"
        }
        try server.createDatabase(name)
        let url = server.url(database: name)
        if migrated {
            let connection = try PQConnection(url: url)
            defer { connection.close() }
            try Migrations.apply(on: connection, logger: quietLogger)
        }
        return url
    }

    public static let quietLogger = Logger(service: "test", level: .warning)

    private static func shared() throws -> LocalPostgres {
        try lock.withLock {
            if let server { return server }
            // /var/tmp rather than the build folder: as root the server runs as `postgres`,
            // which must be able to reach the data folder.
            let folder = URL(fileURLWithPath: "/var/tmp/drods-test-\(getpid())-\(UUID().uuidString.prefix(8))")
            var options = LocalPostgres.Options(dataDirectory: folder)
            options.durable = false
            let started = LocalPostgres(options: options, logger: quietLogger)
            try started.start()
            server = started
            atexit {
                TestPostgres.server?.stop()
                if let path = TestPostgres.server?.options.dataDirectory.path {
                    try? FileManager.default.removeItem(atPath: path)
                }
            }
            return started
        }
    }
}
