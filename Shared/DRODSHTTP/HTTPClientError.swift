/// A request that produced no HTTP response: a bad URL, a refused connection or a timeout.
/// An HTTP error status is not an `HTTPClientError`; the client returns it as a response.
public struct HTTPClientError: Error, CustomStringConvertible, Sendable {
    /// The kind of failure. A struct over a private enum, so that codes can be added later.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: String {
            case invalidURL, timedOut, transport
        }

        private let value: Value

        private init(_ value: Value) { self.value = value }

        /// The URL could not be parsed.
        public static let invalidURL = Code(.invalidURL)
        /// No complete response arrived within the timeout.
        public static let timedOut = Code(.timedOut)
        /// Connecting, sending or receiving failed.
        public static let transport = Code(.transport)

        public var description: String { value.rawValue }
    }

    public let code: Code
    /// The URL of the request, without credentials.
    public let url: String
    public let message: String

    public init(code: Code, url: String, message: String) {
        self.code = code
        self.url = url
        self.message = message
    }

    public var description: String { "HTTP request to \(url) failed (\(code)): \(message)" }
}
