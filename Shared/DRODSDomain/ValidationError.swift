import DRODSCore

/// Every problem found in one input document. Validators collect all of them before throwing,
/// so a client can fix a request in one round trip.
public struct ValidationError: Error, Equatable, Sendable, CustomStringConvertible {
    public var errors: [FieldError]

    public init(errors: [FieldError]) {
        self.errors = errors
    }

    public var description: String {
        errors.map(\.description).joined(separator: "; ")
    }

    /// Returns the errors with the given field path, for callers and tests that look for one field.
    public func errors(at field: String) -> [FieldError] {
        errors.filter { $0.field == field }
    }

    /// The API's `VALIDATION_FAILED` rejection with one detail entry per field error.
    public var rejection: APIRejection {
        APIRejection.validation(errors.map { (field: $0.field, message: $0.message) })
    }
}
