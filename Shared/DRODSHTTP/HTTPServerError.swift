/// A failure to start an `HTTPServer`. The message names the setting or the likely cause.
public struct HTTPServerError: Error, CustomStringConvertible, Sendable {
    /// The kind of failure. A struct over a private enum, so that codes can be added later without
    /// breaking callers that switch over them.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: String {
            case invalidConfiguration, tlsUnsupported, startFailed
        }

        private let value: Value

        private init(_ value: Value) { self.value = value }

        /// A configuration value is out of range.
        public static let invalidConfiguration = Code(.invalidConfiguration)
        /// TLS was requested but libmicrohttpd was built without it.
        public static let tlsUnsupported = Code(.tlsUnsupported)
        /// libmicrohttpd did not start the daemon.
        public static let startFailed = Code(.startFailed)

        public var description: String { value.rawValue }
    }

    public let code: Code
    public let message: String

    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "HTTP server error (\(code)): \(message)" }
}
