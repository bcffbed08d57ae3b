/// The field errors of one document, shared by the readers that walk it. A reference type so
/// that nested readers append to one list; it never leaves the validator that created it.
final class ErrorCollector {
    private(set) var errors: [FieldError] = []

    var isEmpty: Bool { errors.isEmpty }

    func add(_ field: String, _ message: String) {
        errors.append(FieldError(field: field, message: message))
    }

    /// Returns the error to throw once validation is over. A validator also calls this when a
    /// required value is missing without a recorded error, which is a bug in the validator.
    /// The fallback entry then reports an internal error, so the input never passes silently.
    func failure() -> ValidationError {
        if errors.isEmpty {
            return ValidationError(errors: [FieldError(
                field: "", message: "could not be validated because of an internal error")])
        }
        return ValidationError(errors: errors)
    }

    func throwIfAny() throws {
        if !errors.isEmpty { throw ValidationError(errors: errors) }
    }
}
