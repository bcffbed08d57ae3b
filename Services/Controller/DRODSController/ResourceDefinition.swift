import DRODSCore

/// The rules of one kind of resource the controller owns: how to validate a new document
/// and how to apply a merge patch to the current one. Both throw `APIRejection`.
public struct ResourceDefinition: Sendable {
    public let kind: ResourceKind
    /// Validates a new document; returns the resource key and the normalised document.
    public let validateNew: @Sendable (JSONValue) throws -> (key: String, document: JSONValue)
    /// Applies a merge patch to the current document and validates the result; nil when the
    /// kind cannot be patched.
    public let applyPatch: (@Sendable (_ current: JSONValue, _ patch: JSONValue) throws -> JSONValue)?

    public init(kind: ResourceKind,
                validateNew: @escaping @Sendable (JSONValue) throws -> (key: String, document: JSONValue),
                applyPatch: (@Sendable (JSONValue, JSONValue) throws -> JSONValue)?) {
        self.kind = kind
        self.validateNew = validateNew
        self.applyPatch = applyPatch
    }
}
