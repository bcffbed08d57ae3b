/// A document that `drods apply` cannot map to a resource.
public struct ManifestError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
