/// The Kubernetes workload kinds the control plane schedules.
public enum WorkloadKind: String, CaseIterable, Codable, Sendable {
    case deployment = "Deployment"
    case statefulSet = "StatefulSet"
    case job = "Job"

    /// The API group version the kind belongs to.
    public var apiVersion: String {
        switch self {
        case .deployment, .statefulSet: return "apps/v1"
        case .job: return "batch/v1"
        }
    }

    /// The field under `spec` that contains the replica count. It is `parallelism` for jobs,
    /// which run that many pods at once, and `replicas` otherwise.
    public var replicaField: String {
        self == .job ? "parallelism" : "replicas"
    }

    static let acceptedList = allCases.map(\.rawValue).joined(separator: ", ")
}
