import DRODSScheduling

/// This project's scheduler: every pod is a task of one replica with dynamic weights, decided
/// by `Scheduler.decide` against the current snapshots.
public struct SchedulerStrategy: PlacementStrategy {
    public let name = "drods"
    public var configuration: SchedulerConfiguration
    /// Highest water level a domain may reach; see `SchedulingTask.waterLevelLimit`.
    public var waterLevelLimit: Double
    public private(set) var replicasMoved = 0

    public init(configuration: SchedulerConfiguration = SchedulerConfiguration(), waterLevelLimit: Double = 1) {
        self.configuration = configuration
        self.waterLevelLimit = waterLevelLimit
    }

    public mutating func chooseDomain(for pod: TracePod, domains: [ReplayDomain], fleet: FleetSnapshot) -> Int? {
        let task = SchedulingTask(id: pod.name, replicas: 1, requirements: ReplayDomain.requirements(of: pod),
                                  gpuModel: pod.gpuSpec.isEmpty ? nil : pod.gpuSpec,
                                  waterLevelLimit: waterLevelLimit)
        let decision = Scheduler.decide(task, fleet: fleet, configuration: configuration)
        replicasMoved += decision.movedReplicas
        guard decision.outcome == .scheduled,
              let chosen = decision.assignments.first(where: { $0.value > 0 })?.key else { return nil }
        return domains.firstIndex { $0.name == chosen }
    }
}
