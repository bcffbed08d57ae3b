/// One problem with one input field.
///
/// `field` is the JSON path of the offending value, such as `endpoint`,
/// `spec.targetClusters[1].selectorType` or `metadata.labels["app.kubernetes.io/name"]`
/// (keys that are not plain identifiers are quoted in brackets). An empty `field` means the
/// document itself. `message` reads after the field name: "must be an https URL".
public struct FieldError: Equatable, Hashable, Codable, Sendable, CustomStringConvertible {
    public var field: String
    public var message: String

    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }

    public var description: String {
        field.isEmpty ? "document \(message)" : "\(field) \(message)"
    }
}
