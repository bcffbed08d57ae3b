/// The role a token grants. `Authorizer` maps each role to the actions it permits.
public enum Role: String, Codable, Sendable, CaseIterable {
    /// Every action, including administration.
    case admin
    /// Reads and changes resources.
    case `operator`
    /// Reads resources.
    case viewer
    /// A cluster agent; reports metrics for the one cluster named in its token.
    case agent
}
