/// Resources a pod requests, or a node offers, in base units.
public struct ResourceAmounts: Sendable, Equatable {
    /// Cores.
    public var cpu: Double
    /// Bytes.
    public var memoryBytes: Double
    /// Whole GPUs (`nvidia.com/gpu`).
    public var gpu: Double
    /// Pod slots; a pod requests 1.
    public var pods: Double

    public init(cpu: Double = 0, memoryBytes: Double = 0, gpu: Double = 0, pods: Double = 0) {
        self.cpu = cpu
        self.memoryBytes = memoryBytes
        self.gpu = gpu
        self.pods = pods
    }

    static func + (lhs: ResourceAmounts, rhs: ResourceAmounts) -> ResourceAmounts {
        ResourceAmounts(cpu: lhs.cpu + rhs.cpu, memoryBytes: lhs.memoryBytes + rhs.memoryBytes,
                        gpu: lhs.gpu + rhs.gpu, pods: lhs.pods + rhs.pods)
    }
}

/// A node in the terms placement uses: its allocatable resources and what bound pods already request.
public struct NodeRoom: Sendable, Equatable {
    public var name: String
    public var labels: [String: String]
    public var allocatable: ResourceAmounts
    /// Sum of the requests of the pods bound to the node that have not finished.
    public var requested: ResourceAmounts

    public init(name: String, labels: [String: String], allocatable: ResourceAmounts, requested: ResourceAmounts) {
        self.name = name
        self.labels = labels
        self.allocatable = allocatable
        self.requested = requested
    }
}

/// Best-fit placement of one pod on the nodes of a cluster, by requests as the Kubernetes
/// scheduler counts them, not by measured usage.
public enum PodPlacement {
    /// The outcome for a pod: the chosen node, or why no node fits.
    public enum Decision: Sendable, Equatable {
        case node(String)
        /// The message for the pod's `PodScheduled=False` condition.
        case unschedulable(String)
    }

    /// Chooses the node that fits the request and leaves the least room free.
    ///
    /// A node fits when its labels include `nodeSelector` and its free cpu, memory, GPUs and pod
    /// slots cover the request. Among fitting nodes the score is the free share of cpu plus the
    /// free share of memory after placement. A node with GPUs gets 1 more when the pod requests
    /// none, so that GPU nodes stay free for GPU pods. The lowest score wins, and ties go to the
    /// first name in sort order.
    public static func choose(request: ResourceAmounts, nodeSelector: [String: String],
                              nodes: [NodeRoom]) -> Decision {
        var best: (name: String, score: Double)?
        var failures: [String: Int] = [:]

        for node in nodes.sorted(by: { $0.name < $1.name }) {
            let reasons = misfits(request: request, nodeSelector: nodeSelector, node: node)
            guard reasons.isEmpty else {
                for reason in reasons { failures[reason, default: 0] += 1 }
                continue
            }
            let score = self.score(request: request, node: node)
            if best == nil || score < best!.score {
                best = (node.name, score)
            }
        }

        if let best { return .node(best.name) }
        let summary = failures.keys.sorted().map { "\(failures[$0]!) \($0)" }.joined(separator: ", ")
        if nodes.isEmpty { return .unschedulable("0/0 nodes are available: the cluster has no nodes") }
        return .unschedulable("0/\(nodes.count) nodes are available: \(summary)")
    }

    /// Returns why `node` cannot take the pod, one phrase per resource that is short; empty when
    /// it fits.
    static func misfits(request: ResourceAmounts, nodeSelector: [String: String], node: NodeRoom) -> [String] {
        var reasons: [String] = []
        if nodeSelector.contains(where: { node.labels[$0.key] != $0.value }) {
            reasons.append("node(s) did not match the node selector")
        }
        let free = freeRoom(node)
        // A small tolerance keeps sums of fractional cores such as 0.1 + 0.2 from failing a fit.
        let epsilon = 1e-9
        if request.cpu > free.cpu + epsilon { reasons.append("insufficient cpu") }
        if request.memoryBytes > free.memoryBytes + epsilon { reasons.append("insufficient memory") }
        if request.gpu > free.gpu + epsilon { reasons.append("insufficient nvidia.com/gpu") }
        if request.pods > free.pods + epsilon { reasons.append("too many pods") }
        return reasons
    }

    private static func freeRoom(_ node: NodeRoom) -> ResourceAmounts {
        ResourceAmounts(cpu: node.allocatable.cpu - node.requested.cpu,
                        memoryBytes: node.allocatable.memoryBytes - node.requested.memoryBytes,
                        gpu: node.allocatable.gpu - node.requested.gpu,
                        pods: node.allocatable.pods - node.requested.pods)
    }

    private static func score(request: ResourceAmounts, node: NodeRoom) -> Double {
        let free = freeRoom(node)
        var score = 0.0
        if node.allocatable.cpu > 0 { score += (free.cpu - request.cpu) / node.allocatable.cpu }
        if node.allocatable.memoryBytes > 0 {
            score += (free.memoryBytes - request.memoryBytes) / node.allocatable.memoryBytes
        }
        if node.allocatable.gpu > 0 && request.gpu == 0 { score += 1 }
        return score
    }
}
