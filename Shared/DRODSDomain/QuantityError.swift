/// A resource quantity that does not parse. `message` reads after a field name.
public struct QuantityError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The rejected input as written.
    public let text: String
    public let message: String

    public init(text: String, reason: String) {
        self.text = text
        self.message = "must be a resource quantity such as 500m, 0.5, 2 or 1Gi, "
            + "got \"\(text)\": \(reason)"
    }

    public var description: String { message }
}
