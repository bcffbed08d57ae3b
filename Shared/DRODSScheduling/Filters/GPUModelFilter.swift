/// Rejects domains without devices of the GPU model the task requests.
public struct GPUModelFilter: FilterPlugin {
    public let name = "GPUModel"
    public init() {}

    public func filter(_ domain: DomainSnapshot, context: FilterContext) -> FilterFailure? {
        guard let model = context.task.gpuModel, context.task.requirements.gpu > 0,
              (domain.total.gpuByModel[model] ?? 0) <= 0 else { return nil }
        return FilterFailure(code: .gpuModelUnavailable, reason: "no \(model) gpu",
                             detail: context.detailed ? "\(domain.name) has no GPU of model \(model)" : "")
    }
}
