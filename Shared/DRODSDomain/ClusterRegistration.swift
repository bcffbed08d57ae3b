/// A validated registration body: the cluster to store and the credentials to seal into its
/// `encryptedCredentials`.
public struct ClusterRegistration: Equatable, Sendable {
    public var cluster: Cluster
    public var credentials: ClusterCredentials?

    public init(cluster: Cluster, credentials: ClusterCredentials?) {
        self.cluster = cluster
        self.credentials = credentials
    }
}
