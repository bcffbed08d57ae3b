/// One machine of the Alibaba GPU cluster trace (`openb_node_list_all_node.csv`).
public struct TraceNode: Equatable, Sendable {
    public var name: String
    public var cpuMillis: Int64
    public var memoryMiB: Int64
    public var gpus: Int
    /// GPU model such as `T4` or `V100M16`; empty for nodes without GPUs. G1 to G3 are models
    /// the trace does not disclose.
    public var gpuModel: String

    public init(name: String, cpuMillis: Int64, memoryMiB: Int64, gpus: Int, gpuModel: String) {
        self.name = name
        self.cpuMillis = cpuMillis
        self.memoryMiB = memoryMiB
        self.gpus = gpus
        self.gpuModel = gpuModel
    }

    /// Parses the node list: columns `sn, cpu_milli, memory_mib, gpu, model`.
    public static func parse(_ table: CSVTable, source: String) throws -> [TraceNode] {
        let reader = try CSVColumns(table, source: source, names: ["sn", "cpu_milli", "memory_mib", "gpu", "model"])
        return try table.rows.enumerated().map { index, row in
            TraceNode(name: row[reader["sn"]],
                      cpuMillis: try reader.int64(row, "cpu_milli", line: index + 2),
                      memoryMiB: try reader.int64(row, "memory_mib", line: index + 2),
                      gpus: Int(try reader.int64(row, "gpu", line: index + 2)),
                      gpuModel: row[reader["model"]])
        }
    }
}
