/// Inputs a filter plugin reads besides the domain: the task, the fleet, the configuration,
/// and whether the check is for new replicas or for keeping running ones.
public struct FilterContext: Sendable {
    public enum Purpose: Sendable {
        /// The domain would receive new replicas.
        case placingNewReplicas
        /// The domain already runs replicas of the task; only rules that evict apply, so
        /// capacity, water level and NoSchedule taints do not reject it.
        case keepingRunningReplicas
    }

    public var task: SchedulingTask {
        didSet { derive() }
    }
    public var fleet: FleetSnapshot
    public var configuration: SchedulerConfiguration
    public var purpose: Purpose
    /// Whether plugins fill in `FilterFailure.detail`. The scheduler turns it off while it only
    /// counts rejected domains by reason, because formatting numbers into a detail that no
    /// caller reads costs more than the check itself.
    public var detailed = true
    /// `task.replicaResources` and `task.requiredCapabilities`, computed once because filters
    /// read them for every domain and each computation allocates.
    private(set) var replicaResources: ResourceVector = .zero
    private(set) var requiredCapabilities: Set<String> = []

    public init(task: SchedulingTask, fleet: FleetSnapshot, configuration: SchedulerConfiguration,
                purpose: Purpose = .placingNewReplicas) {
        self.task = task
        self.fleet = fleet
        self.configuration = configuration
        self.purpose = purpose
        derive()
    }

    private mutating func derive() {
        replicaResources = task.replicaResources
        requiredCapabilities = task.requiredCapabilities
    }

    /// Returns the water-level lift for `domain` under the configuration's forecast setting.
    @inline(__always)
    public func lift(for domain: DomainSnapshot) -> Double {
        domain.planningLift(useForecast: configuration.scheduleAgainstForecast)
    }
}
