/// Hard rules on where a task may run. Every non-empty list must match; an empty list allows
/// every domain.
public struct PlacementConstraints: Equatable, Codable, Sendable {
    /// Domain names the task may use.
    public var domainNames: [String]
    /// Labels a domain must all carry.
    public var labels: [String: String]
    public var providers: [String]
    public var regions: [String]
    public var zones: [String]
    public var tolerations: [Toleration]
    /// Capabilities a domain must offer, in addition to `gpu`, which any task that requests
    /// GPUs requires.
    public var requiredCapabilities: Set<String>

    public init(domainNames: [String] = [], labels: [String: String] = [:], providers: [String] = [],
                regions: [String] = [], zones: [String] = [], tolerations: [Toleration] = [],
                requiredCapabilities: Set<String> = []) {
        self.domainNames = domainNames
        self.labels = labels
        self.providers = providers
        self.regions = regions
        self.zones = zones
        self.tolerations = tolerations
        self.requiredCapabilities = requiredCapabilities
    }

    public static let none = PlacementConstraints()
}
