import DRODSCore
import Foundation

/// A cluster agent's load report (`PUT /api/v1/metrics`). The draft's example fields
/// (`cpuUsage`, `memoryAvailable`) are required. The per-dimension totals that the scheduler
/// needs for water levels are optional, so that minimal agents can report.
public struct MetricsReport: Equatable, Codable, Sendable {
    public var cluster: String
    public var timestamp: Date
    /// Percent of CPU in use, 0 to 100.
    public var cpuUsage: Double
    /// Free memory in GiB.
    public var memoryAvailable: Double

    public var cpuTotalMillis: Int64?
    public var cpuUsedMillis: Int64?
    public var memoryTotalBytes: Int64?
    public var memoryUsedBytes: Int64?
    /// Whole `nvidia.com/gpu` devices.
    public var gpuTotal: Int64?
    public var gpuUsed: Int64?
    /// Devices per GPU model, such as `nvidia-a100`.
    public var gpuByModel: [String: ResourceUsage]
    public var podsTotal: Int64?
    public var podsUsed: Int64?
    public var storageTotalBytes: Int64?
    public var storageUsedBytes: Int64?
    /// Network throughput in bits per second.
    public var networkTrafficBps: Double?
    public var largestFreeNode: NodeResources?
    /// Free room of the nodes whose room no other node covers, at most `maxFreeNodes`. With it
    /// the scheduler can tell whether one replica fits on a single node of a fragmented cluster.
    public var freeNodes: [NodeResources]?
    public var nodes: NodeCounts?

    public static let maxFreeNodes = 64

    public init(cluster: String, timestamp: Date, cpuUsage: Double, memoryAvailable: Double) {
        self.cluster = cluster
        self.timestamp = timestamp
        self.cpuUsage = cpuUsage
        self.memoryAvailable = memoryAvailable
        self.gpuByModel = [:]
    }

    /// Integer dimensions as (total field, used field, key path of total, key path of used).
    private static var dimensions: [(total: String, used: String,
                                     totalPath: WritableKeyPath<MetricsReport, Int64?>,
                                     usedPath: WritableKeyPath<MetricsReport, Int64?>)] {
        [("cpuTotalMillis", "cpuUsedMillis", \.cpuTotalMillis, \.cpuUsedMillis),
         ("memoryTotalBytes", "memoryUsedBytes", \.memoryTotalBytes, \.memoryUsedBytes),
         ("gpuTotal", "gpuUsed", \.gpuTotal, \.gpuUsed),
         ("podsTotal", "podsUsed", \.podsTotal, \.podsUsed),
         ("storageTotalBytes", "storageUsedBytes", \.storageTotalBytes, \.storageUsedBytes)]
    }

    /// Validates against the current time.
    public static func validate(_ input: JSONValue) throws -> MetricsReport {
        try validate(input, now: Date())
    }

    /// Validates a report; `now` is the server time that bounds the timestamp.
    public static func validate(_ input: JSONValue, now: Date) throws -> MetricsReport {
        let collector = ErrorCollector()
        guard let reader = ObjectReader.document(input, collector: collector) else {
            throw collector.failure()
        }
        reader.rejectUnknownFields(
            allowed: ["cluster", "timestamp", "cpuUsage", "memoryAvailable"]
                + dimensions.flatMap { [$0.total, $0.used] }
                + ["gpuByModel", "networkTrafficBps", "largestFreeNode", "freeNodes", "nodes"])

        let cluster = reader.required("cluster")?.dnsLabel()
        let timestamp = ReportClock.readTimestamp(reader.required("timestamp"), now: now)
        let cpuUsage = reader.required("cpuUsage")?.number("between 0 and 100") { (0...100).contains($0) }
        let memoryAvailable = reader.required("memoryAvailable")?.number("of GiB, at least 0") { $0 >= 0 }

        // The optional fields are read even when a required one is invalid, so that every
        // problem is listed; the placeholders never leave this function.
        var report = MetricsReport(cluster: cluster ?? "", timestamp: timestamp ?? now,
                                   cpuUsage: cpuUsage ?? 0, memoryAvailable: memoryAvailable ?? 0)
        readOptionalFields(reader, into: &report)
        guard collector.isEmpty, cluster != nil, timestamp != nil, cpuUsage != nil,
              memoryAvailable != nil else { throw collector.failure() }
        return report
    }

    public func jsonValue() -> JSONValue {
        var members: [String: JSONValue] = [
            "cluster": .string(cluster),
            "timestamp": .string(Timestamp.format(timestamp)),
            "cpuUsage": .number(cpuUsage),
            "memoryAvailable": .number(memoryAvailable),
        ]
        for dimension in Self.dimensions {
            if let total = self[keyPath: dimension.totalPath] { members[dimension.total] = .number(Double(total)) }
            if let used = self[keyPath: dimension.usedPath] { members[dimension.used] = .number(Double(used)) }
        }
        if !gpuByModel.isEmpty { members["gpuByModel"] = .object(gpuByModel.mapValues { $0.jsonValue() }) }
        if let networkTrafficBps { members["networkTrafficBps"] = .number(networkTrafficBps) }
        if let largestFreeNode { members["largestFreeNode"] = largestFreeNode.jsonValue() }
        if let freeNodes { members["freeNodes"] = .array(freeNodes.map { $0.jsonValue() }) }
        if let nodes { members["nodes"] = nodes.jsonValue() }
        return .object(members)
    }

    // MARK: - Optional fields

    private static func readOptionalFields(_ reader: ObjectReader, into report: inout MetricsReport) {
        for dimension in dimensions {
            let total = reader.optional(dimension.total)?.integer(in: 0...Int.max)
            let used = reader.optional(dimension.used)?.integer(in: 0...Int.max)
            if let total, let used, used > total {
                reader.reject(dimension.used, "must not exceed \(dimension.total) (\(total)), got \(used)")
            }
            report[keyPath: dimension.totalPath] = total.map(Int64.init)
            report[keyPath: dimension.usedPath] = used.map(Int64.init)
        }
        report.gpuByModel = reader.optional("gpuByModel").flatMap(readGPUModels) ?? [:]
        if let gpuTotal = report.gpuTotal, !report.gpuByModel.isEmpty {
            let modelTotal = report.gpuByModel.values.reduce(Int64(0)) { $0 + $1.total }
            if modelTotal > gpuTotal {
                reader.reject("gpuByModel", "totals \(modelTotal) devices, more than gpuTotal (\(gpuTotal))")
            }
        }
        report.networkTrafficBps = reader.optional("networkTrafficBps")?.number("of bits per second, at least 0") { $0 >= 0 }
        report.largestFreeNode = reader.optional("largestFreeNode").flatMap(readNode)
        report.freeNodes = reader.optional("freeNodes")?.array(maxCount: maxFreeNodes)?.compactMap(readNode)
        report.nodes = reader.optional("nodes").flatMap(readNodeCounts)
    }

    private static func readGPUModels(_ field: JSONField) -> [String: ResourceUsage]? {
        guard let reader = field.object() else { return nil }
        var models: [String: ResourceUsage] = [:]
        for model in reader.members.keys.sorted() {
            guard !model.isEmpty, NameSyntax.isLabelValue(model) else {
                reader.reject(model, "is not a GPU model name: use at most 63 letters, digits, "
                              + "'-', '_' or '.', such as nvidia-a100")
                continue
            }
            guard let entry = reader.optional(model)?.object() else {
                if reader.optional(model) == nil { reader.reject(model, "must be a JSON object") }
                continue
            }
            entry.rejectUnknownFields(allowed: ["total", "used"])
            let total = entry.required("total")?.integer(in: 0...Int.max)
            let used = entry.required("used")?.integer(in: 0...Int.max)
            guard let total, let used else { continue }
            if used > total {
                entry.reject("used", "must not exceed total (\(total)), got \(used)")
                continue
            }
            models[model] = ResourceUsage(total: Int64(total), used: Int64(used))
        }
        return models
    }

    private static func readNode(_ field: JSONField) -> NodeResources? {
        guard let reader = field.object() else { return nil }
        reader.rejectUnknownFields(allowed: ["cpuMillis", "memoryBytes", "gpu"])
        let cpu = reader.required("cpuMillis")?.integer(in: 0...Int.max)
        let memory = reader.required("memoryBytes")?.integer(in: 0...Int.max)
        let gpu = reader.optional("gpu")?.integer(in: 0...Int.max) ?? 0
        guard let cpu, let memory else { return nil }
        return NodeResources(cpuMillis: Int64(cpu), memoryBytes: Int64(memory), gpu: Int64(gpu))
    }

    private static func readNodeCounts(_ field: JSONField) -> NodeCounts? {
        guard let reader = field.object() else { return nil }
        reader.rejectUnknownFields(allowed: ["ready", "notReady"])
        let ready = reader.required("ready")?.integer(in: 0...Int.max)
        let notReady = reader.required("notReady")?.integer(in: 0...Int.max)
        guard let ready, let notReady else { return nil }
        return NodeCounts(ready: ready, notReady: notReady)
    }
}
