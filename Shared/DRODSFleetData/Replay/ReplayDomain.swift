import DRODSDomain
import DRODSScheduling

/// A member cluster during a replay: its nodes' free room and the snapshot the scheduler reads.
public struct ReplayDomain: Sendable {
    public let domain: FleetDomain
    public private(set) var nodes: [ReplayNode]
    /// Everything running, GPUs in thousandths, one pod per replica.
    public private(set) var used = ResourceVector()
    /// The domain as the scheduler reads it, kept current after every change.
    public private(set) var snapshot: DomainSnapshot

    public init(_ domain: FleetDomain) {
        self.domain = domain
        nodes = domain.nodes.map(ReplayNode.init)
        snapshot = domain.snapshot(used: ResourceVector(), largestFreeNode: NodeResources(cpuMillis: 0, memoryBytes: 0))
        refreshSnapshot()
    }

    public var name: String { domain.name }

    /// Returns the index of the node that `pod` fits most tightly (the least room left over),
    /// the lowest index among equals; nil when no node fits.
    public func bestFitNode(for pod: TracePod) -> Int? {
        var best: (index: Int, share: Double)?
        for (index, node) in nodes.enumerated() where node.fits(pod) {
            let share = node.remainingShare(after: pod)
            if let current = best, current.share <= share { continue }
            best = (index, share)
        }
        return best?.index
    }

    /// Places `pod` on its best-fitting node and returns where, or nil when no node fits.
    public mutating func place(_ pod: TracePod) -> ReplayBinding? {
        guard let index = bestFitNode(for: pod) else { return nil }
        let gpus = nodes[index].place(pod)
        used = used + Self.resources(of: pod)
        refreshSnapshot()
        return ReplayBinding(node: index, gpus: gpus)
    }

    public mutating func release(_ pod: TracePod, from binding: ReplayBinding) {
        nodes[binding.node].release(pod, gpus: binding.gpus)
        used = used + Self.resources(of: pod).scaled(by: -1)
        refreshSnapshot()
    }

    /// Resources of one pod in the scheduler's units, GPUs in thousandths.
    public static func resources(of pod: TracePod) -> ResourceVector {
        ResourceVector(replica: requirements(of: pod), gpuModel: pod.gpuSpec.isEmpty ? nil : pod.gpuSpec)
    }

    public static func requirements(of pod: TracePod) -> ResourceRequirements {
        ResourceRequirements(cpuMillis: pod.cpuMillis, memoryBytes: pod.memoryMiB << 20, gpu: pod.gpuMilliDemand)
    }

    /// Rebuilds the snapshot. Its free nodes are the undominated rooms of the nodes, with the
    /// GPU room counted as `ReplayNode.gpuRoom`, so the scheduler's node-fit filter passes a
    /// domain exactly when one of its nodes fits the pod. The largest free node holds, per
    /// dimension, the most that any one node has free.
    private mutating func refreshSnapshot() {
        var largest = NodeResources(cpuMillis: 0, memoryBytes: 0, gpu: 0)
        var rooms: [NodeResources] = []
        rooms.reserveCapacity(nodes.count)
        for node in nodes {
            largest.cpuMillis = max(largest.cpuMillis, node.freeCPUMillis)
            largest.memoryBytes = max(largest.memoryBytes, node.freeMemoryBytes)
            largest.gpu = max(largest.gpu, node.gpuRoom)
            rooms.append(NodeResources(cpuMillis: node.freeCPUMillis, memoryBytes: node.freeMemoryBytes,
                                       gpu: node.gpuRoom))
        }
        snapshot.used = used
        snapshot.largestFreeNode = largest
        snapshot.freeNodes = NodeResources.undominated(rooms)
    }
}

/// The place of a replayed pod: a node index in its domain and the GPUs it uses there.
public struct ReplayBinding: Equatable, Sendable {
    public var node: Int
    public var gpus: [Int]
}
