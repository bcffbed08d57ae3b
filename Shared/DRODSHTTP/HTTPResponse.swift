import DRODSCore
import Foundation

/// An HTTP response produced by a handler. The server adds `Content-Length` and `X-Request-ID`.
public struct HTTPResponse: Sendable {
    /// Status code, 100 to 599. The server replaces any other value with a 500.
    public var status: Int
    public var headers: HTTPHeaders
    public var body: Data

    public init(status: Int, headers: HTTPHeaders = HTTPHeaders(), body: Data = Data()) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// Encodes `value` as JSON with the project's wire settings (sorted keys, ISO 8601 dates).
    /// When the value cannot be encoded, returns a 500 `INTERNAL_ERROR` response instead.
    public static func json(_ status: Int, _ value: some Encodable) -> HTTPResponse {
        do {
            // A JSONValue takes the encoder-free path, which gives the same bytes.
            let body = try (value as? JSONValue).map { try WireJSON.encode($0) } ?? WireJSON.encode(value)
            return HTTPResponse(status: status, headers: ["Content-Type": "application/json"],
                                body: body)
        } catch {
            return internalError()
        }
    }

    /// Returns a plain-text response, UTF-8 encoded.
    public static func text(_ status: Int, _ text: String,
                            contentType: String = "text/plain; charset=utf-8") -> HTTPResponse {
        HTTPResponse(status: status, headers: ["Content-Type": contentType],
                     body: Data(text.utf8))
    }

    /// Returns the API error body `{"code", "message", "details"}` with `status`.
    public static func error(status: Int, code: String, message: String,
                             details: [String: JSONValue] = [:]) -> HTTPResponse {
        json(status, APIErrorBody(code: code, message: message, details: details))
    }

    /// Returns the generic 500 response, which reveals nothing about the failure.
    static func internalError(requestID: String? = nil) -> HTTPResponse {
        var message = "internal server error"
        if let requestID {
            message += "; the server log has details under request id \(requestID)"
        }
        let body = APIErrorBody(code: "INTERNAL_ERROR", message: message)
        // Encoding a struct of strings cannot fail, so this fallback only guards the `try`.
        let data = (try? WireJSON.encode(body))
            ?? Data(#"{"code":"INTERNAL_ERROR","details":{},"message":"internal server error"}"#.utf8)
        return HTTPResponse(status: 500, headers: ["Content-Type": "application/json"], body: data)
    }
}
