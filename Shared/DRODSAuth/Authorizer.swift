/// Role-based permission checks. Anything not granted below is denied:
///
/// | role     | read | write | admin | reportMetrics(c)            | pullWorks(c)               |
/// |----------|------|-------|-------|-----------------------------|----------------------------|
/// | admin    | yes  | yes   | yes   | yes                         | yes                        |
/// | operator | yes  | yes   | no    | no                          | yes                        |
/// | viewer   | yes  | no    | no    | no                          | yes                        |
/// | agent    | no   | no    | no    | only for its own cluster c  | only for its own cluster c |
public struct Authorizer: Sendable {
    public init() {}

    /// Returns whether `role` may perform `action`. `cluster` is the cluster an agent token is
    /// bound to; an agent without one is denied everything.
    public func permits(_ role: Role, cluster: String? = nil, action: Action) -> Bool {
        switch (role, action) {
        case (.admin, _):
            return true
        case (.operator, .read), (.operator, .write), (.operator, .pullWorks):
            return true
        case (.viewer, .read), (.viewer, .pullWorks):
            return true
        case (.agent, .reportMetrics(let target)), (.agent, .pullWorks(let target)):
            guard let cluster, !cluster.isEmpty else { return false }
            return cluster == target
        default:
            return false
        }
    }

    /// Returns whether the holder of a verified token may perform `action`.
    public func permits(_ claims: TokenClaims, action: Action) -> Bool {
        permits(claims.role, cluster: claims.cluster, action: action)
    }
}
