/// Splits the trace's nodes into member clusters and places each in its own AWS region.
///
/// The GPU nodes, ordered by model and then by name, are cut into `domainCount` runs that hold
/// about the same number of GPUs, so each domain is mostly one GPU model and a large model
/// fills several domains. The nodes without GPUs are shuffled with a seeded generator and
/// dealt out in turn, so each domain also gets a random sample of CPU nodes. Domain `i` goes
/// to the `i`-th region of the price table that also has a row in the latency matrix.
public struct FleetBuilder: Sendable {
    public var domainCount: Int
    public var seed: UInt64

    public init(domainCount: Int = 8, seed: UInt64 = 1) {
        self.domainCount = domainCount
        self.seed = seed
    }

    public func build(_ data: FleetDataSet) throws -> Fleet {
        let latencyRegions = data.latency.regions
        let regions = data.prices.filter { latencyRegions.contains($0.region) }
        guard regions.count >= domainCount else {
            throw FleetDataError.notEnoughRegions(needed: domainCount, available: regions.count)
        }

        let gpuNodes = data.nodes.filter { $0.gpus > 0 }.sorted {
            ($0.gpuModel, $0.name) < ($1.gpuModel, $1.name)
        }
        guard gpuNodes.count >= domainCount, domainCount > 0 else {
            throw FleetDataError.notEnoughNodes(needed: max(1, domainCount), available: gpuNodes.count)
        }
        var groups = splitByGPUCount(gpuNodes)

        var random = SeededRandom(seed: seed)
        var cpuNodes = data.nodes.filter { $0.gpus == 0 }
        cpuNodes.shuffle(using: &random)
        for (index, node) in cpuNodes.enumerated() { groups[index % domainCount].append(node) }

        let domains = groups.enumerated().map { index, nodes in
            let price = regions[index]
            return FleetDomain(name: "\(price.region)-\(Self.dominantModel(nodes).lowercased())", region: price.region,
                               nodes: nodes, pricePerVCPUHour: price.vcpuHour, pricePerGBHour: price.gbHour)
        }
        return Fleet(domains: domains, regionLatencyMs: data.latency.milliseconds)
    }

    /// Cuts `nodes` into `domainCount` consecutive runs, closing a run once the GPUs so far
    /// reach its share of the total; every run gets at least one node.
    private func splitByGPUCount(_ nodes: [TraceNode]) -> [[TraceNode]] {
        let totalGPUs = nodes.reduce(0) { $0 + $1.gpus }
        var groups: [[TraceNode]] = Array(repeating: [], count: domainCount)
        var group = 0
        var cumulative = 0
        for (index, node) in nodes.enumerated() {
            let nodesLeft = nodes.count - index
            let groupsLeft = domainCount - group
            // Move on when this run has its share, or when the remaining nodes are only just
            // enough to give every later run one.
            let shareReached = cumulative * domainCount >= totalGPUs * (group + 1)
            if !groups[group].isEmpty && group < domainCount - 1 && (shareReached || nodesLeft < groupsLeft) {
                group += 1
            }
            groups[group].append(node)
            cumulative += node.gpus
        }
        return groups
    }

    /// The GPU model with the most GPUs in `nodes`, `cpu` when none has GPUs.
    static func dominantModel(_ nodes: [TraceNode]) -> String {
        var gpus: [String: Int] = [:]
        for node in nodes where node.gpus > 0 { gpus[node.gpuModel, default: 0] += node.gpus }
        return gpus.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key ?? "cpu"
    }
}

/// SplitMix64, seeded so that the same seed builds the same fleet on every machine.
struct SeededRandom: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xbf58_476d_1ce4_e5b9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94d0_49bb_1331_11eb
        return mixed ^ (mixed >> 31)
    }
}
