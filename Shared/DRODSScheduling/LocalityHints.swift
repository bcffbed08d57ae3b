/// Regions of a task's users, data and dependencies, for the network and data locality factors.
public struct LocalityHints: Equatable, Codable, Sendable {
    /// Regions the task's users connect from.
    public var userRegions: [String]
    /// Region that stores the task's data.
    public var dataRegion: String?
    /// Regions of services the task calls.
    public var dependencyRegions: [String]

    public init(userRegions: [String] = [], dataRegion: String? = nil, dependencyRegions: [String] = []) {
        self.userRegions = userRegions
        self.dataRegion = dataRegion
        self.dependencyRegions = dependencyRegions
    }

    public static let none = LocalityHints()

    /// All regions the network factor measures against: users, data and dependencies.
    public var networkRegions: [String] {
        userRegions + (dataRegion.map { [$0] } ?? []) + dependencyRegions
    }
}
