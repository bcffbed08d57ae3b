import DRODSCore

/// Builds the Node objects of a cluster from its node pools.
enum NodeFactory {
    /// Pod slots per node, the kubelet's default `maxPods`.
    static let podsPerNode = 110
    static let instanceTypeLabel = "node.kubernetes.io/instance-type"
    static let regionLabel = "topology.kubernetes.io/region"
    static let zoneLabel = "topology.kubernetes.io/zone"
    /// The label NVIDIA's GPU feature discovery sets to the GPU model.
    static let gpuModelLabel = "nvidia.com/gpu.product"
    static let providerLabel = "membersim.drods.io/provider"
    static let gpuResource = "nvidia.com/gpu"

    /// Returns one Node per pool member, named `<cluster>-<instance type>-<n>` with dots in the
    /// instance type replaced by dashes and `n` counting per instance type from 0. Allocatable
    /// equals capacity because the simulated kubelets reserve nothing for the system.
    static func nodes(for cluster: ClusterSpec, clusterIndex: Int) -> [JSONValue] {
        var nodes: [JSONValue] = []
        var perType: [String: Int] = [:]
        for pool in cluster.nodePools {
            for _ in 0..<pool.count {
                let ordinal = perType[pool.instanceType, default: 0]
                perType[pool.instanceType] = ordinal + 1
                let name = nodeName(cluster: cluster.name, instanceType: pool.instanceType, ordinal: ordinal)
                nodes.append(node(name: name, pool: pool, cluster: cluster,
                                  address: "10.\(clusterIndex % 250 + 1).\(nodes.count / 250).\(nodes.count % 250 + 1)"))
            }
        }
        return nodes
    }

    static func nodeName(cluster: String, instanceType: String, ordinal: Int) -> String {
        let type = String(instanceType.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "-" })
        return "\(cluster)-\(type)-\(ordinal)"
    }

    private static func node(name: String, pool: NodePoolSpec, cluster: ClusterSpec, address: String) -> JSONValue {
        var labels: [String: String] = [
            "kubernetes.io/hostname": name,
            "kubernetes.io/os": "linux",
            "kubernetes.io/arch": "amd64",
            instanceTypeLabel: pool.instanceType,
            regionLabel: cluster.region,
            zoneLabel: cluster.zone,
            providerLabel: cluster.provider,
        ]
        var capacity: [String: JSONValue] = [
            "cpu": .string(Quantity.formatCPU(pool.cpu)),
            "memory": .string(Quantity.formatBytes(pool.memoryBytes)),
            "pods": .string(String(podsPerNode)),
        ]
        if let model = pool.gpuModel, pool.gpuCount > 0 {
            labels[gpuModelLabel] = model
            capacity[gpuResource] = .string(String(pool.gpuCount))
        }
        return .object([
            "metadata": .object(["name": .string(name), "labels": .stringMap(labels)]),
            "spec": .object(["providerID": .string("membersim://\(cluster.name)/\(name)")]),
            "status": .object([
                "capacity": .object(capacity),
                "allocatable": .object(capacity),
                "conditions": .array([.object([
                    "type": .string("Ready"), "status": .string("True"), "reason": .string("KubeletReady"),
                    "message": .string("simulated kubelet is ready"),
                ])]),
                "addresses": .array([
                    .object(["type": .string("InternalIP"), "address": .string(address)]),
                    .object(["type": .string("Hostname"), "address": .string(name)]),
                ]),
                "nodeInfo": .object([
                    "kubeletVersion": .string(MemberSimulator.kubernetesVersion), "architecture": .string("amd64"),
                    "operatingSystem": .string("linux"), "containerRuntimeVersion": .string("membersim://1"),
                ]),
            ]),
        ])
    }

    /// Reads a Node's allocatable resources.
    static func allocatable(of node: JSONValue) -> ResourceAmounts {
        let allocatable = node.value(at: ["status", "allocatable"])
        return ResourceAmounts(cpu: Quantity.parse(allocatable?["cpu"]) ?? 0,
                               memoryBytes: Quantity.parse(allocatable?["memory"]) ?? 0,
                               gpu: Quantity.parse(allocatable?[gpuResource]) ?? 0,
                               pods: Quantity.parse(allocatable?["pods"]) ?? 0)
    }
}
