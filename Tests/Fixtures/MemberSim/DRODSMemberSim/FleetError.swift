/// A fleet file that cannot be used, with the path of the offending field such as
/// `clusters[1].nodePools[0].memory`.
public struct FleetError: Error, CustomStringConvertible, Equatable, Sendable {
    /// Dotted path of the field; empty for problems with the whole file.
    public let field: String
    public let message: String

    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }

    public var description: String {
        field.isEmpty ? "invalid fleet file: \(message)" : "invalid fleet file: \(field): \(message)"
    }
}
