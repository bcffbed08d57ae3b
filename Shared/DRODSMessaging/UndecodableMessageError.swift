/// Thrown by a consumer's handler for a message it can never process, such as bytes that are
/// not the expected JSON. The consumer moves the message to the dead-letter topic and goes on,
/// where any other error makes it call the handler again with the same message.
public struct UndecodableMessageError: Error, CustomStringConvertible, Sendable {
    /// Reason the message cannot be processed. It is sent in the `drods-dlq-reason` header, so
    /// it must not contain secrets.
    public let reason: String

    public init(reason: String) {
        self.reason = reason
    }

    public var description: String { "undecodable message: \(reason)" }
}
