import DRODSCore

/// The error body of every API response with a status of 400 or above:
/// `{"code": "...", "message": "...", "details": {...}}`.
public struct APIErrorBody: Codable, Equatable, Sendable {
    /// Machine-readable error code in upper snake case, such as `NOT_FOUND`.
    public var code: String
    /// A sentence for people; it never contains secrets, SQL or stack traces.
    public var message: String
    /// Extra facts about the error, such as the offending field; empty when there are none.
    public var details: [String: JSONValue]

    public init(code: String, message: String, details: [String: JSONValue] = [:]) {
        self.code = code
        self.message = message
        self.details = details
    }
}
