import DRODSDomain

/// An amount of resources in every dimension the scheduler counts.
///
/// Units: CPU in millicores, memory and storage in bytes, GPUs and pods as counts. `gpuByModel`
/// splits `gpu` by model name; it may be empty when the models are not known.
public struct ResourceVector: Equatable, Hashable, Codable, Sendable {
    public var cpuMillis: Int64
    public var memoryBytes: Int64
    public var gpu: Int64
    public var gpuByModel: [String: Int64]
    public var storageBytes: Int64
    public var pods: Int64

    public init(cpuMillis: Int64 = 0, memoryBytes: Int64 = 0, gpu: Int64 = 0,
                gpuByModel: [String: Int64] = [:], storageBytes: Int64 = 0, pods: Int64 = 0) {
        self.cpuMillis = cpuMillis
        self.memoryBytes = memoryBytes
        self.gpu = gpu
        self.gpuByModel = gpuByModel
        self.storageBytes = storageBytes
        self.pods = pods
    }

    public static let zero = ResourceVector()

    /// Creates the resources of one replica: its requirements plus one pod, with its GPUs also
    /// counted under `gpuModel` when a model is requested.
    public init(replica requirements: ResourceRequirements, gpuModel: String?) {
        var byModel: [String: Int64] = [:]
        if let gpuModel, requirements.gpu > 0 { byModel[gpuModel] = requirements.gpu }
        self.init(cpuMillis: requirements.cpuMillis, memoryBytes: requirements.memoryBytes,
                  gpu: requirements.gpu, gpuByModel: byModel,
                  storageBytes: requirements.ephemeralStorageBytes, pods: 1)
    }

    /// Returns the amount in `dimension`; for GPUs of a given `gpuModel`, only that model.
    public func amount(_ dimension: ResourceDimension, gpuModel: String? = nil) -> Int64 {
        switch dimension {
        case .cpu: return cpuMillis
        case .memory: return memoryBytes
        case .gpu:
            if let gpuModel { return gpuByModel[gpuModel] ?? 0 }
            return gpu
        case .storage: return storageBytes
        case .pods: return pods
        }
    }

    /// Returns the vector multiplied by `factor` in every dimension, saturating at `Int64.max`.
    public func scaled(by factor: Int) -> ResourceVector {
        let multiplier = Int64(factor)
        func times(_ value: Int64) -> Int64 {
            let (product, overflow) = value.multipliedReportingOverflow(by: multiplier)
            return overflow ? Int64.max : product
        }
        return ResourceVector(cpuMillis: times(cpuMillis), memoryBytes: times(memoryBytes),
                              gpu: times(gpu), gpuByModel: gpuByModel.mapValues(times),
                              storageBytes: times(storageBytes), pods: times(pods))
    }

    /// Returns the sum per dimension and per GPU model.
    public static func + (lhs: ResourceVector, rhs: ResourceVector) -> ResourceVector {
        ResourceVector(cpuMillis: lhs.cpuMillis &+ rhs.cpuMillis,
                       memoryBytes: lhs.memoryBytes &+ rhs.memoryBytes,
                       gpu: lhs.gpu &+ rhs.gpu,
                       gpuByModel: lhs.gpuByModel.merging(rhs.gpuByModel, uniquingKeysWith: &+),
                       storageBytes: lhs.storageBytes &+ rhs.storageBytes,
                       pods: lhs.pods &+ rhs.pods)
    }
}
