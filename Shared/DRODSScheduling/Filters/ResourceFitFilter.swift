/// Rejects domains whose free totals (total − used − reserved) cannot hold one replica, naming
/// the first short dimension.
public struct ResourceFitFilter: FilterPlugin {
    public let name = "ResourceFit"
    public init() {}

    public func filter(_ domain: DomainSnapshot, context: FilterContext) -> FilterFailure? {
        guard context.purpose == .placingNewReplicas else { return nil }
        let model = context.task.gpuModel
        let replica = context.replicaResources
        for dimension in ResourceDimension.allCases {
            let need = replica.amount(dimension, gpuModel: model)
            guard need > 0 else { continue }
            let free = domain.total.amount(dimension, gpuModel: model)
                - domain.used.amount(dimension, gpuModel: model)
                - domain.reserved.amount(dimension, gpuModel: model)
            if free < need {
                return FilterFailure(code: .insufficientResources, reason: "insufficient \(dimension.rawValue)",
                                     detail: context.detailed
                                        ? "\(domain.name) has \(max(free, 0)) \(dimension.rawValue) free, "
                                            + "one replica needs \(need)" : "")
            }
        }
        return nil
    }
}
