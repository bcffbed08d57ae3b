import DRODSCore

/// Resources one replica needs, in the units the scheduler compares against cluster totals.
public struct ResourceRequirements: Equatable, Hashable, Codable, Sendable {
    /// CPU in millicores.
    public var cpuMillis: Int64
    public var memoryBytes: Int64
    /// Whole `nvidia.com/gpu` devices.
    public var gpu: Int64
    public var ephemeralStorageBytes: Int64

    public init(cpuMillis: Int64 = 0, memoryBytes: Int64 = 0, gpu: Int64 = 0,
                ephemeralStorageBytes: Int64 = 0) {
        self.cpuMillis = cpuMillis
        self.memoryBytes = memoryBytes
        self.gpu = gpu
        self.ephemeralStorageBytes = ephemeralStorageBytes
    }

    public static let zero = ResourceRequirements()

    /// The sum per dimension; saturates at `Int64.max` rather than trapping, which only an
    /// absurd manifest can reach and which no cluster can then fit.
    public static func + (lhs: ResourceRequirements, rhs: ResourceRequirements) -> ResourceRequirements {
        ResourceRequirements(
            cpuMillis: saturatingSum(lhs.cpuMillis, rhs.cpuMillis),
            memoryBytes: saturatingSum(lhs.memoryBytes, rhs.memoryBytes),
            gpu: saturatingSum(lhs.gpu, rhs.gpu),
            ephemeralStorageBytes: saturatingSum(lhs.ephemeralStorageBytes, rhs.ephemeralStorageBytes))
    }

    /// Returns the larger value in every dimension.
    public func maximum(_ other: ResourceRequirements) -> ResourceRequirements {
        ResourceRequirements(
            cpuMillis: max(cpuMillis, other.cpuMillis),
            memoryBytes: max(memoryBytes, other.memoryBytes),
            gpu: max(gpu, other.gpu),
            ephemeralStorageBytes: max(ephemeralStorageBytes, other.ephemeralStorageBytes))
    }

    /// `{"cpuMillis":…, "memoryBytes":…, "gpu":…, "ephemeralStorageBytes":…}`.
    public func jsonValue() -> JSONValue {
        .object([
            "cpuMillis": .number(Double(cpuMillis)),
            "memoryBytes": .number(Double(memoryBytes)),
            "gpu": .number(Double(gpu)),
            "ephemeralStorageBytes": .number(Double(ephemeralStorageBytes)),
        ])
    }

    private static func saturatingSum(_ lhs: Int64, _ rhs: Int64) -> Int64 {
        let (sum, overflow) = lhs.addingReportingOverflow(rhs)
        return overflow ? Int64.max : sum
    }
}
