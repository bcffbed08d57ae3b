import DRODSCore

/// The free resources of one node: the largest replica that fits on a single node.
public struct NodeResources: Equatable, Hashable, Codable, Sendable {
    public var cpuMillis: Int64
    public var memoryBytes: Int64
    public var gpu: Int64

    public init(cpuMillis: Int64, memoryBytes: Int64, gpu: Int64 = 0) {
        self.cpuMillis = cpuMillis
        self.memoryBytes = memoryBytes
        self.gpu = gpu
    }

    /// Returns whether one replica with `requirements` fits on the node.
    public func fits(_ requirements: ResourceRequirements) -> Bool {
        requirements.cpuMillis <= cpuMillis && requirements.memoryBytes <= memoryBytes
            && requirements.gpu <= gpu
    }

    public func jsonValue() -> JSONValue {
        .object(["cpuMillis": .number(Double(cpuMillis)), "memoryBytes": .number(Double(memoryBytes)),
                 "gpu": .number(Double(gpu))])
    }
}
