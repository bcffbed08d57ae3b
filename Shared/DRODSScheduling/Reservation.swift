/// Resources set aside on a domain for replicas a decision placed there, until the domain
/// reports them as used.
public struct Reservation: Equatable, Hashable, Codable, Sendable {
    public var domain: String
    public var replicas: Int
    /// `replicas` times the per-replica resources.
    public var resources: ResourceVector

    public init(domain: String, replicas: Int, resources: ResourceVector) {
        self.domain = domain
        self.replicas = replicas
        self.resources = resources
    }
}
