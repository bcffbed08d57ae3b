import DRODSCore
import Foundation

/// A bounded pool of connections to one database. `withConnection` blocks for up to
/// `checkoutTimeout` seconds when all `maxConnections` are in use, then throws. A connection
/// that failed is reset before it is handed out again.
public final class ConnectionPool: @unchecked Sendable {
    public let url: String
    public let maxConnections: Int
    public let checkoutTimeout: Double

    private let condition = NSCondition()
    private var idle: [PQConnection] = []
    private var open = 0
    private var closed = false

    public init(url: String, maxConnections: Int = 8, checkoutTimeout: Double = 10) {
        self.url = url
        self.maxConnections = max(1, maxConnections)
        self.checkoutTimeout = checkoutTimeout
    }

    /// Runs `body` with a connection of its own. A statement that fails because the connection
    /// broke is not retried here: the caller decides whether its work may run twice.
    public func withConnection<T>(_ body: (PQConnection) throws -> T) throws -> T {
        let connection = try checkout()
        defer { checkin(connection) }
        return try body(connection)
    }

    public func close() {
        condition.lock()
        closed = true
        let connections = idle
        idle.removeAll()
        open -= connections.count
        condition.broadcast()
        condition.unlock()
        connections.forEach { $0.close() }
    }

    // MARK: - Checkout

    private func checkout() throws -> PQConnection {
        let deadline = Date(timeIntervalSinceNow: checkoutTimeout)
        condition.lock()
        while true {
            if closed {
                condition.unlock()
                throw PostgresError(code: .connectionFailed, message: "connection pool is closed")
            }
            if let connection = idle.popLast() {
                condition.unlock()
                if !connection.isHealthy {
                    do {
                        try connection.reset()
                    } catch {
                        discard()
                        throw error
                    }
                }
                return connection
            }
            if open < maxConnections {
                open += 1
                condition.unlock()
                do {
                    return try PQConnection(url: url)
                } catch {
                    discard()
                    throw error
                }
            }
            if !condition.wait(until: deadline) {
                condition.unlock()
                throw PostgresError(
                    code: .connectionFailed,
                    message: "no database connection free after \(checkoutTimeout) s "
                        + "(pool of \(maxConnections))")
            }
        }
    }

    private func checkin(_ connection: PQConnection) {
        condition.lock()
        if closed {
            open -= 1
            condition.unlock()
            connection.close()
            return
        }
        idle.append(connection)
        condition.signal()
        condition.unlock()
    }

    private func discard() {
        condition.lock()
        open -= 1
        condition.signal()
        condition.unlock()
    }
}
