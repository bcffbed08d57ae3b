import DRODSDomain
import DRODSScheduling

/// One member cluster of a fleet built from trace nodes, placed in an AWS region and priced
/// from that region's Fargate prices.
public struct FleetDomain: Equatable, Sendable {
    /// Pods per node that Kubernetes admits by default (the kubelet's `maxPods`).
    public static let podsPerNode: Int64 = 110

    public var name: String
    public var region: String
    public var nodes: [TraceNode]
    /// US dollars per vCPU-hour (on-demand).
    public var pricePerVCPUHour: Double
    /// US dollars per GB-hour of memory (on-demand).
    public var pricePerGBHour: Double

    public init(name: String, region: String, nodes: [TraceNode], pricePerVCPUHour: Double, pricePerGBHour: Double) {
        self.name = name
        self.region = region
        self.nodes = nodes
        self.pricePerVCPUHour = pricePerVCPUHour
        self.pricePerGBHour = pricePerGBHour
    }

    /// Capacity of all nodes. GPUs are counted in thousandths of a GPU, so that pods sharing a
    /// GPU can be added up; `gpuByModel` uses the same unit.
    public var total: ResourceVector {
        var byModel: [String: Int64] = [:]
        for node in nodes where node.gpus > 0 { byModel[node.gpuModel, default: 0] += Int64(node.gpus) * 1000 }
        return ResourceVector(cpuMillis: nodes.reduce(0) { $0 + $1.cpuMillis },
                              memoryBytes: nodes.reduce(0) { $0 + $1.memoryMiB } << 20,
                              gpu: byModel.values.reduce(0, +), gpuByModel: byModel,
                              pods: Int64(nodes.count) * Self.podsPerNode)
    }

    /// Returns the domain as the scheduler reads it, with `used` occupied and the given free
    /// room of the emptiest node.
    public func snapshot(used: ResourceVector, largestFreeNode: NodeResources) -> DomainSnapshot {
        let total = self.total
        return DomainSnapshot(
            name: name, provider: "aws", region: region, labels: [:],
            capabilities: total.gpu > 0 ? ["gpu"] : [], total: total, used: used,
            largestFreeNode: largestFreeNode, pricePerCPUHour: pricePerVCPUHour,
            // Fargate's GB is treated as a GiB, the unit the scheduler prices memory in.
            pricePerGiBHour: pricePerGBHour)
    }
}
