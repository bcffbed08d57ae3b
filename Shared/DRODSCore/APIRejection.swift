/// A request that the domain rejects, in the API's error vocabulary: a code such as
/// `VALIDATION_FAILED`, a message for the client, and details. Owners turn it into a rejected
/// reply; the gateway turns it into the error body with the status of `code`.
public struct APIRejection: Error, Equatable, Sendable, CustomStringConvertible {
    public let code: String
    public let message: String
    public let details: [String: JSONValue]

    public init(code: String, message: String, details: [String: JSONValue] = [:]) {
        self.code = code
        self.message = message
        self.details = details
    }

    public var description: String { "\(code): \(message)" }

    /// Builds a validation failure that lists every offending field.
    public static func validation(_ errors: [(field: String, message: String)]) -> APIRejection {
        let list = errors.map { JSONValue.object(["field": .string($0.field), "message": .string($0.message)]) }
        let summary = errors.prefix(3).map { "\($0.field) \($0.message)" }.joined(separator: "; ")
        return APIRejection(code: "VALIDATION_FAILED",
                            message: errors.count > 3 ? "\(summary); and \(errors.count - 3) more" : summary,
                            details: ["errors": .array(list)])
    }
}
