import DRODSDomain

extension SchedulingTask {
    /// Creates a task from the policy settings users write: a propagation policy's or an
    /// inline placement's `SchedulingOptions` and target cluster names.
    public init(id: String, replicas: Int, requirements: ResourceRequirements, gpuModel: String?,
                priority: Int, options: SchedulingOptions, targetClusters: [String],
                locality: LocalityHints = .none, existing: [String: Int] = [:]) {
        let division: DivisionMode
        switch (options.replicaScheduling.type, options.replicaScheduling.divisionPreference) {
        case (.duplicated, _):
            division = .duplicated
        case (.divided, .weighted?):
            division = .staticWeights(options.replicaScheduling.weights)
        case (.divided, .aggregated?):
            division = .aggregated
        case (.divided, .dynamic?), (.divided, nil):
            division = .dynamicWeights
        }
        self.init(id: id, replicas: replicas, requirements: requirements, gpuModel: gpuModel,
                  priority: priority, constraints: PlacementConstraints(domainNames: targetClusters),
                  waterLevelLimit: options.waterLevelLimit, division: division,
                  minDomains: options.spreadConstraints?.minClusters,
                  maxDomains: options.spreadConstraints?.maxClusters,
                  allowPartialPlacement: options.allowPartialPlacement, locality: locality,
                  existing: existing)
    }
}
