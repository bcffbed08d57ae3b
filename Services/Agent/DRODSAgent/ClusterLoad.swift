import DRODSCore
import DRODSDomain
import DRODSScheduling
import Foundation

/// Turns a cluster's nodes and pods, as its Kubernetes API lists them, into the load report
/// of `PUT /api/v1/metrics`. Pure: no I/O.
///
/// Capacity is the allocatable resources of the nodes that are ready and schedulable. Used is
/// what the pods bound to them request, which is how the Kubernetes scheduler counts it. Finished pods
/// (`Succeeded`, `Failed`) hold nothing. When the cluster also reports measured usage per node
/// (the member-cluster simulator's `/simulator/usage`), `cpuUsage` and `memoryAvailable` come
/// from it; otherwise from the requests.
public enum ClusterLoad {
    static let gpuResource = "nvidia.com/gpu"
    static let gpuModelLabel = "nvidia.com/gpu.product"

    /// One node's capacity and what its pods request.
    struct NodeLoad {
        var name: String
        var ready: Bool
        var gpuModel: String?
        var allocatable = NodeAmounts()
        var requested = NodeAmounts()
    }

    struct NodeAmounts {
        var cpuMillis: Int64 = 0
        var memoryBytes: Int64 = 0
        var gpu: Int64 = 0
        var pods: Int64 = 0
    }

    public static func report(cluster: String, nodes: [JSONValue], pods: [JSONValue], usage: JSONValue?,
                              at time: Date) -> MetricsReport {
        var loads = nodes.map(nodeLoad)
        let index = Dictionary(loads.enumerated().map { ($0.element.name, $0.offset) }, uniquingKeysWith: { first, _ in first })
        for pod in pods {
            guard let node = pod["spec"]?["nodeName"]?.stringValue, let position = index[node] else { continue }
            let phase = pod["status"]?["phase"]?.stringValue ?? ""
            guard phase != "Succeeded", phase != "Failed" else { continue }
            let needs = requests(of: pod)
            loads[position].requested.cpuMillis += needs.cpuMillis
            loads[position].requested.memoryBytes += needs.memoryBytes
            loads[position].requested.gpu += needs.gpu
            loads[position].requested.pods += 1
        }

        let ready = loads.filter(\.ready)
        func sum(_ values: [NodeLoad], _ amount: (NodeAmounts) -> Int64, requested: Bool) -> Int64 {
            values.reduce(0) { $0 + amount(requested ? $1.requested : $1.allocatable) }
        }
        let cpuTotal = sum(ready, \.cpuMillis, requested: false)
        let memoryTotal = sum(ready, \.memoryBytes, requested: false)
        // Requests can exceed allocatable on a node that shrank. Used is capped at the total,
        // because the gateway rejects a report with more used than exists.
        let cpuUsed = min(cpuTotal, sum(ready, \.cpuMillis, requested: true))
        let memoryUsed = min(memoryTotal, sum(ready, \.memoryBytes, requested: true))

        var measuredCPU = Double(cpuUsed) / 1000
        var measuredMemory = Double(memoryUsed)
        if let usage, case .array(let entries) = usage["nodes"] ?? .null {
            let readyNames = Set(ready.map(\.name))
            let counted = entries.filter { readyNames.contains($0["name"]?.stringValue ?? "") }
            measuredCPU = counted.reduce(0) { $0 + ($1["used"]?["cpu"]?.doubleValue ?? 0) }
            measuredMemory = counted.reduce(0) { $0 + ($1["used"]?["memoryBytes"]?.doubleValue ?? 0) }
        }
        let cpuPercent = cpuTotal > 0 ? min(100, max(0, measuredCPU * 1000 / Double(cpuTotal) * 100)) : 0
        let freeMemory = max(0, Double(memoryTotal) - measuredMemory) / Double(1 << 30)

        var report = MetricsReport(cluster: cluster, timestamp: time, cpuUsage: (cpuPercent * 100).rounded() / 100,
                                   memoryAvailable: (freeMemory * 1000).rounded() / 1000)
        report.cpuTotalMillis = cpuTotal
        report.cpuUsedMillis = cpuUsed
        report.memoryTotalBytes = memoryTotal
        report.memoryUsedBytes = memoryUsed
        let gpuTotal = sum(ready, \.gpu, requested: false)
        report.gpuTotal = gpuTotal
        report.gpuUsed = min(gpuTotal, sum(ready, \.gpu, requested: true))
        let podsTotal = sum(ready, \.pods, requested: false)
        report.podsTotal = podsTotal
        report.podsUsed = min(podsTotal, sum(ready, \.pods, requested: true))
        var models: [String: ResourceUsage] = [:]
        for node in ready where node.allocatable.gpu > 0 {
            guard let model = node.gpuModel else { continue }
            let current = models[model] ?? ResourceUsage(total: 0, used: 0)
            models[model] = ResourceUsage(total: current.total + node.allocatable.gpu,
                                          used: current.used + min(node.allocatable.gpu, node.requested.gpu))
        }
        report.gpuByModel = models

        let rooms = ready.filter { $0.allocatable.pods > $0.requested.pods }.map { node in
            NodeResources(cpuMillis: max(0, node.allocatable.cpuMillis - node.requested.cpuMillis),
                          memoryBytes: max(0, node.allocatable.memoryBytes - node.requested.memoryBytes),
                          gpu: max(0, node.allocatable.gpu - node.requested.gpu))
        }
        report.largestFreeNode = NodeResources(cpuMillis: rooms.map(\.cpuMillis).max() ?? 0,
                                               memoryBytes: rooms.map(\.memoryBytes).max() ?? 0,
                                               gpu: rooms.map(\.gpu).max() ?? 0)
        report.freeNodes = Array(NodeResources.undominated(rooms).prefix(MetricsReport.maxFreeNodes))
        report.nodes = NodeCounts(ready: ready.count, notReady: loads.count - ready.count)
        return report
    }

    /// Tells whether a node's `Ready` condition is `True` and it takes new pods.
    static func isReady(_ node: JSONValue) -> Bool {
        guard node["spec"]?["unschedulable"] != .bool(true),
              case .array(let conditions) = node["status"]?["conditions"] ?? .null else { return false }
        return conditions.contains { $0["type"]?.stringValue == "Ready" && $0["status"]?.stringValue == "True" }
    }

    private static func nodeLoad(_ node: JSONValue) -> NodeLoad {
        let allocatable = node["status"]?["allocatable"] ?? .null
        var load = NodeLoad(name: node["metadata"]?["name"]?.stringValue ?? "", ready: isReady(node),
                            gpuModel: node["metadata"]?["labels"]?[gpuModelLabel]?.stringValue)
        load.allocatable.cpuMillis = milli(allocatable["cpu"])
        load.allocatable.memoryBytes = units(allocatable["memory"])
        load.allocatable.gpu = units(allocatable[gpuResource])
        load.allocatable.pods = units(allocatable["pods"])
        return load
    }

    /// Sums the requests of a pod's containers. A GPU limit without a request counts as the
    /// request, because Kubernetes defaults it that way.
    private static func requests(of pod: JSONValue) -> NodeAmounts {
        var total = NodeAmounts()
        guard case .array(let containers) = pod["spec"]?["containers"] ?? .null else { return total }
        for container in containers {
            let resources = container["resources"] ?? .null
            let requests = resources["requests"] ?? .null
            total.cpuMillis += milli(requests["cpu"])
            total.memoryBytes += units(requests["memory"])
            total.gpu += units(requests[gpuResource] ?? resources["limits"]?[gpuResource])
        }
        return total
    }

    private static func milli(_ value: JSONValue?) -> Int64 {
        guard let value, let quantity = try? Quantity.parse(value) else { return 0 }
        return quantity.milliValue
    }

    private static func units(_ value: JSONValue?) -> Int64 {
        guard let value, let quantity = try? Quantity.parse(value) else { return 0 }
        return quantity.value
    }
}
