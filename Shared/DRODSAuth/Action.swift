/// Something a request wants to do, checked by `Authorizer`.
public enum Action: Hashable, Sendable {
    /// Read resources (list, get, watch).
    case read
    /// Create, change or delete resources.
    case write
    /// Administration, such as minting tokens or replaying projections.
    case admin
    /// Report metrics on behalf of the named cluster.
    case reportMetrics(cluster: String)
    /// Read the works planned for the named cluster, as its agent does to apply them.
    case pullWorks(cluster: String)
}
