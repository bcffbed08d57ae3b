/// A failure reported by libpq or the server. `description` stays generic enough for clients;
/// `debugDescription` carries the server's detail for logs.
public struct PostgresError: Error, CustomStringConvertible, CustomDebugStringConvertible, Sendable {
    /// Growable error code: the server's SQLSTATE, or a local code for client-side failures.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(_ rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        public static let connectionFailed = Code("connection_failed")
        public static let connectionLost = Code("connection_lost")
        public static let queryFailed = Code("query_failed")
        public static let unexpectedResult = Code("unexpected_result")
        public static let uniqueViolation = Code("23505")
        public static let raiseException = Code("P0001")
        public static let serializationFailure = Code("40001")
        public static let deadlockDetected = Code("40P01")
        public static let insufficientPrivilege = Code("42501")
    }

    public let code: Code
    public let message: String
    public let detail: String?
    /// The constraint a violation names, if any (for telling conflicts apart).
    public let constraint: String?

    public init(code: Code, message: String, detail: String? = nil, constraint: String? = nil) {
        self.code = code
        self.message = message
        self.detail = detail
        self.constraint = constraint
    }

    public var description: String { "PostgreSQL error \(code): \(message)" }

    public var debugDescription: String {
        var text = description
        if let detail { text += " (\(detail))" }
        if let constraint { text += " [constraint \(constraint)]" }
        return text
    }

    /// Whether reconnecting and running the statement again may succeed.
    public var isConnectionFailure: Bool {
        code == .connectionFailed || code == .connectionLost || code.rawValue.hasPrefix("08")
            || code.rawValue.hasPrefix("57P")
    }
}
