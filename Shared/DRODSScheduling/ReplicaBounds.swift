/// Per-domain limits on a task's replica count in that domain.
public struct ReplicaBounds: Equatable, Hashable, Codable, Sendable {
    /// Replicas the domain receives before the rest is shared out, capacity permitting.
    public var minimum: Int
    /// Replicas the domain never exceeds; nil for no limit.
    public var maximum: Int?

    public init(minimum: Int = 0, maximum: Int? = nil) {
        self.minimum = minimum
        self.maximum = maximum
    }
}
