/// A change to one optional field in a JSON merge patch (RFC 7396): a new value, or removal
/// when the patch sets the field to null. A field the patch leaves out has no `FieldUpdate`.
public enum FieldUpdate<Value: Equatable & Sendable>: Equatable, Sendable {
    case set(Value)
    case remove

    /// Returns the field's value after the update.
    public func applied(to current: Value?) -> Value? {
        switch self {
        case .set(let value): return value
        case .remove: return nil
        }
    }
}
