/// Rejects domains whose water level after one more replica would pass the task's limit in a
/// dimension the replica uses. A full GPU dimension does not block CPU-only replicas, which
/// keeps this filter consistent with the capacity bound. When the configuration schedules
/// against the forecast, the level is the higher of the current and the forecast level.
public struct WaterLevelFilter: FilterPlugin {
    public let name = "WaterLevel"
    public init() {}

    public func filter(_ domain: DomainSnapshot, context: FilterContext) -> FilterFailure? {
        guard context.purpose == .placingNewReplicas else { return nil }
        let limit = context.task.waterLevelLimit
        let replica = context.replicaResources
        let model = context.task.gpuModel
        let after = domain.bottleneckLevel(adding: replica, gpuModel: model, lift: context.lift(for: domain),
                                           onlyDimensionsOf: replica)
        // The same tolerance as the capacity bound, so an exact fit at the limit passes both.
        guard after > limit + 1e-9 else { return nil }
        return FilterFailure(code: .waterLevelExceeded, reason: "water level above \(limit)",
                             detail: context.detailed ? "\(domain.name) would reach \(after) after one replica" : "")
    }
}
