import DRODSDomain

/// A task's permission to land on a domain with a matching taint, with Kubernetes semantics.
public struct Toleration: Equatable, Hashable, Codable, Sendable {
    public enum Operator: String, Codable, Sendable {
        /// Matches a taint with the same key and value.
        case equal = "Equal"
        /// Matches a taint with the same key, whatever its value.
        case exists = "Exists"
    }

    public var key: String
    public var `operator`: Operator
    /// Compared when the operator is `equal`; nil matches a taint without a value.
    public var value: String?
    /// Nil tolerates every effect.
    public var effect: ClusterTaint.Effect?

    public init(key: String, operator: Operator = .equal, value: String? = nil,
                effect: ClusterTaint.Effect? = nil) {
        self.key = key
        self.operator = `operator`
        self.value = value
        self.effect = effect
    }

    /// Returns whether this toleration matches `taint`.
    public func tolerates(_ taint: ClusterTaint) -> Bool {
        guard key == taint.key else { return false }
        if let effect, effect != taint.effect { return false }
        switch self.operator {
        case .exists: return true
        case .equal: return value == taint.value
        }
    }
}
