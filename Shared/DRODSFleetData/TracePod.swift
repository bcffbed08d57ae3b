/// One pod of the Alibaba GPU cluster trace (`openb_pod_list_default.csv`).
public struct TracePod: Equatable, Sendable {
    public var name: String
    public var cpuMillis: Int64
    public var memoryMiB: Int64
    /// GPUs the pod requests.
    public var gpuCount: Int
    /// Share of one GPU in thousandths; 1000 for pods that use whole GPUs. A pod with
    /// `gpuCount` 1 and less than 1000 shares one GPU with other pods.
    public var gpuMilli: Int64
    /// Required GPU model; empty when any model will do (every pod of the published trace).
    public var gpuSpec: String
    /// Quality of service class: `LS`, `BE`, `Burstable` or `Guaranteed`.
    public var qos: String
    /// Phase the pod ended in on the original cluster.
    public var phase: String
    /// Seconds from the start of the trace.
    public var creationTime: Int64
    public var deletionTime: Int64

    public init(name: String, cpuMillis: Int64, memoryMiB: Int64, gpuCount: Int, gpuMilli: Int64,
                gpuSpec: String = "", qos: String = "LS", phase: String = "Running", creationTime: Int64,
                deletionTime: Int64) {
        self.name = name
        self.cpuMillis = cpuMillis
        self.memoryMiB = memoryMiB
        self.gpuCount = gpuCount
        self.gpuMilli = gpuMilli
        self.gpuSpec = gpuSpec
        self.qos = qos
        self.phase = phase
        self.creationTime = creationTime
        self.deletionTime = deletionTime
    }

    /// Whether the pod takes part of one GPU instead of whole devices.
    public var sharesGPU: Bool { gpuCount == 1 && gpuMilli < 1000 }

    /// GPU demand in thousandths of a GPU: `gpuMilli` for a sharing pod, 1000 per device
    /// otherwise, 0 without GPUs.
    public var gpuMilliDemand: Int64 {
        guard gpuCount > 0 else { return 0 }
        return sharesGPU ? gpuMilli : Int64(gpuCount) * 1000
    }

    /// Parses the pod list: columns `name, cpu_milli, memory_mib, num_gpu, gpu_milli, gpu_spec,
    /// qos, pod_phase, creation_time, deletion_time`; `scheduled_time` is not read.
    public static func parse(_ table: CSVTable, source: String) throws -> [TracePod] {
        let reader = try CSVColumns(table, source: source, names: [
            "name", "cpu_milli", "memory_mib", "num_gpu", "gpu_milli", "gpu_spec", "qos", "pod_phase",
            "creation_time", "deletion_time",
        ])
        return try table.rows.enumerated().map { index, row in
            let line = index + 2
            return TracePod(name: row[reader["name"]], cpuMillis: try reader.int64(row, "cpu_milli", line: line),
                            memoryMiB: try reader.int64(row, "memory_mib", line: line),
                            gpuCount: Int(try reader.int64(row, "num_gpu", line: line)),
                            gpuMilli: try reader.int64(row, "gpu_milli", line: line),
                            gpuSpec: row[reader["gpu_spec"]], qos: row[reader["qos"]],
                            phase: row[reader["pod_phase"]],
                            creationTime: try reader.int64(row, "creation_time", line: line),
                            deletionTime: try reader.int64(row, "deletion_time", line: line))
        }
    }
}
