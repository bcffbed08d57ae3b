import DRODSCore
import Foundation

/// An HTTP request whose body has fully arrived, as the server hands it to a handler.
public struct HTTPRequest: Sendable {
    /// Request method in upper case as the client sent it, such as `GET`.
    public var method: String
    /// Percent-decoded path without the query string, for handlers and logs.
    public var path: String
    /// The path as the client sent it, still percent-encoded. The router splits this form, so
    /// an encoded slash (`%2F`) stays inside one segment.
    public var rawPath: String
    /// Query parameters, percent-decoded, with `+` read as a space. A parameter without `=`
    /// maps to an empty string, and when a name repeats the last value wins.
    public var query: [String: String]
    public var headers: HTTPHeaders
    public var body: Data
    /// Client address as `ip:port`, or `unknown`.
    public var remoteAddress: String
    /// The client's `X-Request-ID` when it is a valid token, else an id generated for this
    /// request. The server echoes it in the response and logs it with every line.
    public var requestID: String

    /// Creates a request. `rawPath` defaults to `path`, and `requestID` to the valid
    /// `X-Request-ID` in `headers` or a new id.
    public init(method: String, path: String, rawPath: String? = nil,
                query: [String: String] = [:],
                headers: HTTPHeaders = HTTPHeaders(), body: Data = Data(),
                remoteAddress: String = "unknown", requestID: String? = nil) {
        self.method = method
        self.path = path
        self.rawPath = rawPath ?? path
        self.query = query
        self.headers = headers
        self.body = body
        self.remoteAddress = remoteAddress
        self.requestID = requestID ?? Self.requestID(from: headers)
    }

    /// Decodes the body as JSON with the project's wire settings (ISO 8601 dates).
    public func decodeJSON<T: Decodable>(_ type: T.Type) throws -> T {
        try WireJSON.decode(type, from: body)
    }

    // MARK: - Request ids

    /// Maximum length of a client-supplied request id that the server accepts.
    public static let maxRequestIDLength = 64

    /// Returns the `X-Request-ID` header when it has 1 to 64 characters from `A-Z a-z 0-9 . _ -`,
    /// otherwise a new random id, so that a client cannot inject arbitrary text into logs.
    public static func requestID(from headers: HTTPHeaders) -> String {
        if let supplied = headers["X-Request-ID"], isValidRequestID(supplied) {
            return supplied
        }
        return UUID().uuidString.lowercased()
    }

    static func isValidRequestID(_ value: String) -> Bool {
        guard !value.isEmpty, value.utf8.count <= maxRequestIDLength else { return false }
        return value.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"):
                return true
            default:
                return false
            }
        }
    }
}
