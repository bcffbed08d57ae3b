import CLibPQ
import DRODSCore
import Foundation

/// One libpq connection. Not shareable between threads: each worker takes its own from a
/// `ConnectionPool`. Every statement uses bound parameters (`$1`, `$2`, …) in text format.
///
/// `@unchecked Sendable` because a connection moves between threads through the pool, which
/// hands it to one thread at a time.
public final class PQConnection: @unchecked Sendable {
    /// Owned: freed with `PQfinish` in `deinit` or `close()`.
    private var handle: OpaquePointer?
    public let url: String
    /// Names of the statements `preparedQuery` prepared in this session, by SQL text. The
    /// server drops them with the session, so `reset()` and `close()` forget them too.
    private var preparedNames: [String: String] = [:]

    /// Connects to `url` (a `postgresql://` URI or a libpq key/value string).
    public init(url: String) throws {
        self.url = url
        let connection = PQconnectdb(url)
        // PQconnectdb returns a handle even on failure; it must still be freed.
        guard let connection else {
            throw PostgresError(code: .connectionFailed, message: "out of memory")
        }
        guard PQstatus(connection) == CONNECTION_OK else {
            let message = Self.errorText(connection)
            PQfinish(connection)
            throw PostgresError(code: .connectionFailed, message: message)
        }
        // libpq prints server notices ("relation ... already exists, skipping") to standard
        // error by default, which would break the one-JSON-object-per-line logs.
        PQsetNoticeProcessor(connection, { _, _ in }, nil)
        handle = connection
    }

    deinit {
        if let handle { PQfinish(handle) }
    }

    public func close() {
        if let handle { PQfinish(handle) }
        handle = nil
        preparedNames = [:]
    }

    public var isHealthy: Bool {
        guard let handle else { return false }
        return PQstatus(handle) == CONNECTION_OK
    }

    /// Re-establishes a broken connection with the same parameters.
    public func reset() throws {
        guard let handle else {
            throw PostgresError(code: .connectionLost, message: "connection was closed")
        }
        PQreset(handle)
        preparedNames = [:]
        guard PQstatus(handle) == CONNECTION_OK else {
            throw PostgresError(code: .connectionFailed, message: Self.errorText(handle))
        }
    }

    /// The server process id of this session, for `pg_terminate_backend` in tests and for logs.
    public var backendPID: Int32 {
        guard let handle else { return 0 }
        return PQbackendPID(handle)
    }

    // MARK: - Statements

    /// Runs one statement with bound text parameters (`nil` binds SQL NULL).
    @discardableResult
    public func query(_ sql: String, _ parameters: [String?] = []) throws -> QueryResult {
        guard let handle else {
            throw PostgresError(code: .connectionLost, message: "connection was closed")
        }
        let result = withCStrings(parameters) { pointers in
            PQexecParams(handle, sql, Int32(parameters.count), nil, pointers, nil, nil, 0)
        }
        // The result is owned here and cleared on every path.
        defer { PQclear(result) }
        return try Self.read(result, connection: handle)
    }

    /// Runs one statement like `query(_:_:)`, through a statement prepared once per session.
    /// The server then parses it once and, after five runs, may keep one generic plan. Use it
    /// for fixed SQL text that runs many times a second, because each distinct text stays
    /// prepared until the session ends. A prepared statement outlives a rolled-back
    /// transaction, so preparing inside one is safe.
    @discardableResult
    public func preparedQuery(_ sql: String, _ parameters: [String?] = []) throws -> QueryResult {
        guard let handle else {
            throw PostgresError(code: .connectionLost, message: "connection was closed")
        }
        let name: String
        if let known = preparedNames[sql] {
            name = known
        } else {
            name = "drods_\(preparedNames.count + 1)"
            let prepared = PQprepare(handle, name, sql, Int32(parameters.count), nil)
            defer { PQclear(prepared) }
            _ = try Self.read(prepared, connection: handle)
            preparedNames[sql] = name
        }
        let result = withCStrings(parameters) { pointers in
            PQexecPrepared(handle, name, Int32(parameters.count), pointers, nil, nil, 0)
        }
        defer { PQclear(result) }
        return try Self.read(result, connection: handle)
    }

    /// Runs several statements separated by semicolons without parameters (migrations).
    public func execute(script sql: String) throws {
        guard let handle else {
            throw PostgresError(code: .connectionLost, message: "connection was closed")
        }
        let result = PQexec(handle, sql)
        defer { PQclear(result) }
        _ = try Self.read(result, connection: handle)
    }

    /// Runs `body` inside BEGIN/COMMIT; rolls back when it throws and rethrows the error.
    public func transaction<T>(_ body: (PQConnection) throws -> T) throws -> T {
        try query("BEGIN")
        do {
            let value = try body(self)
            try query("COMMIT")
            return value
        } catch {
            if isHealthy { _ = try? query("ROLLBACK") }
            throw error
        }
    }

    // MARK: - Notifications

    /// The socket to wait on for notifications, or -1 when the connection is closed.
    var socket: Int32 {
        guard let handle else { return -1 }
        return PQsocket(handle)
    }

    /// Reads what the server sent and returns the channels of pending notifications.
    func drainNotifications() throws -> [String] {
        guard let handle else {
            throw PostgresError(code: .connectionLost, message: "connection was closed")
        }
        guard PQconsumeInput(handle) == 1 else {
            throw PostgresError(code: .connectionLost, message: Self.errorText(handle))
        }
        var channels: [String] = []
        while let notification = PQnotifies(handle) {
            // PQnotifies hands over the struct; PQfreemem releases it and its strings.
            channels.append(String(cString: notification.pointee.relname))
            PQfreemem(notification)
        }
        return channels
    }

    /// Waits up to `milliseconds` for the server to send something, then returns the channels
    /// of the notifications that arrived (possibly none).
    func awaitNotifications(milliseconds: Int32) throws -> [String] {
        let pending = try drainNotifications()
        guard pending.isEmpty else { return pending }
        var descriptor = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
        let ready = poll(&descriptor, 1, milliseconds)
        if ready < 0 && errno != EINTR {
            throw PostgresError(code: .connectionLost, message: "poll failed: errno \(errno)")
        }
        return ready > 0 ? try drainNotifications() : []
    }

    // MARK: - Helpers

    private static func errorText(_ handle: OpaquePointer) -> String {
        guard let text = PQerrorMessage(handle) else { return "unknown error" }
        return String(cString: text).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private static func read(_ result: OpaquePointer?, connection: OpaquePointer) throws -> QueryResult {
        guard let result else {
            throw PostgresError(code: connectionLostOr(connection), message: errorText(connection))
        }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK:
            return QueryResult(columns: [], rows: [], affectedRows: affected(result))
        case PGRES_TUPLES_OK:
            let columnCount = Int(PQnfields(result))
            let rowCount = Int(PQntuples(result))
            let columns = (0..<columnCount).map { String(cString: PQfname(result, Int32($0))) }
            var rows: [[String?]] = []
            rows.reserveCapacity(rowCount)
            for row in 0..<Int32(rowCount) {
                var values: [String?] = []
                values.reserveCapacity(columnCount)
                for column in 0..<Int32(columnCount) {
                    if PQgetisnull(result, row, column) == 1 {
                        values.append(nil)
                    } else {
                        values.append(String(cString: PQgetvalue(result, row, column)))
                    }
                }
                rows.append(values)
            }
            return QueryResult(columns: columns, rows: rows, affectedRows: rowCount)
        default:
            let state = field(result, DiagnosticField.sqlState)
            let message = field(result, DiagnosticField.message) ?? errorText(connection)
            let code = state.map(PostgresError.Code.init) ?? connectionLostOr(connection)
            throw PostgresError(code: code, message: message,
                                detail: field(result, DiagnosticField.detail),
                                constraint: field(result, DiagnosticField.constraint))
        }
    }

    private static func connectionLostOr(_ connection: OpaquePointer) -> PostgresError.Code {
        PQstatus(connection) == CONNECTION_OK ? .queryFailed : .connectionLost
    }

    private static func field(_ result: OpaquePointer, _ code: CChar) -> String? {
        guard let text = PQresultErrorField(result, Int32(code)) else { return nil }
        return String(cString: text)
    }

    private static func affected(_ result: OpaquePointer) -> Int {
        guard let text = PQcmdTuples(result) else { return 0 }
        return Int(String(cString: text)) ?? 0
    }
}

/// Field codes of `PQresultErrorField`. libpq defines them as character macros
/// (`PG_DIAG_SQLSTATE` is 'C' in postgres_ext.h), which Swift does not import.
private enum DiagnosticField {
    static let sqlState = CChar(UInt8(ascii: "C"))
    static let message = CChar(UInt8(ascii: "M"))
    static let detail = CChar(UInt8(ascii: "D"))
    static let constraint = CChar(UInt8(ascii: "n"))
}

/// Calls `body` with C strings for `values` that stay valid for the duration of the call.
private func withCStrings<R>(_ values: [String?],
                             _ body: (UnsafePointer<UnsafePointer<CChar>?>?) -> R) -> R {
    let copies: [UnsafeMutablePointer<CChar>?] = values.map { $0.map { strdup($0)! } }
    defer { copies.forEach { free($0) } }
    let pointers: [UnsafePointer<CChar>?] = copies.map { $0.map { UnsafePointer($0) } }
    return pointers.withUnsafeBufferPointer { body($0.baseAddress) }
}
