/// An override that could not be applied to a workload's manifest, or a replica count out of
/// range.
public struct RenderError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The override policy whose patch failed; nil when the failure is not a patch.
    public let policy: String?
    /// The field path that could not be set.
    public let path: String
    public let message: String

    public init(policy: String?, path: String, message: String) {
        self.policy = policy
        self.path = path
        self.message = message
    }

    public var description: String {
        if let policy {
            return "override policy \(policy) cannot set \(path): \(message)"
        }
        return "cannot set \(path): \(message)"
    }
}
