import DRODSDomain
import DRODSScheduling

/// A seeded generator of plausible domains and tasks for `drods bench scheduler`: three
/// providers with four regions each, nodes of 16 to 96 cores, a third of the domains with
/// GPUs, and loads from 10 % to 90 %. The same seed always gives the same fleet and tasks.
struct SyntheticFleet {
    static let providers = ["aws", "gcp", "azure"]
    static let gpuModels = ["nvidia-a100", "nvidia-t4", "nvidia-v100"]
    static let gibibyte: Int64 = 1 << 30

    var random: SplitMix64

    init(seed: UInt64) {
        random = SplitMix64(seed: seed)
    }

    /// Region names `<provider>-region-<n>`, four per provider.
    static var regions: [String] {
        providers.flatMap { provider in (1...4).map { "\(provider)-region-\($0)" } }
    }

    /// Returns a latency matrix in milliseconds between `regions`: 2 ms inside a region, and
    /// otherwise 20 ms plus 25 ms per step of distance in the region list, so neighbours are
    /// close and the ends of the list are about 300 ms apart.
    static func latencyMatrix() -> [String: [String: Double]] {
        var matrix: [String: [String: Double]] = [:]
        for (i, from) in regions.enumerated() {
            for (j, to) in regions.enumerated() {
                matrix[from, default: [:]][to] = i == j ? 2 : 20 + 25 * Double(abs(i - j))
            }
        }
        return matrix
    }

    mutating func fleet(domainCount: Int) -> FleetSnapshot {
        let domains = (0..<domainCount).map { domain(index: $0) }
        return FleetSnapshot(domains: domains, regionLatencyMs: Self.latencyMatrix())
    }

    mutating func domain(index: Int) -> DomainSnapshot {
        let providerIndex = index % Self.providers.count
        let region = "\(Self.providers[providerIndex])-region-\(1 + (index / Self.providers.count) % 4)"
        let nodes = Int64(random.next(in: 10...200))
        let coresPerNode = Int64([16, 32, 64, 96][random.next(in: 0...3)])
        let gibPerCore = Int64([4, 8][random.next(in: 0...1)])
        let gpusPerNode: Int64 = random.next(in: 0...2) == 0 ? Int64([4, 8][random.next(in: 0...1)]) : 0
        let model = Self.gpuModels[random.next(in: 0...2)]
        let load = Double(random.next(in: 10...90)) / 100

        let total = ResourceVector(
            cpuMillis: nodes * coresPerNode * 1000, memoryBytes: nodes * coresPerNode * gibPerCore * Self.gibibyte,
            gpu: nodes * gpusPerNode, gpuByModel: gpusPerNode > 0 ? [model: nodes * gpusPerNode] : [:],
            storageBytes: nodes * 500 * Self.gibibyte, pods: nodes * 110)
        func part(_ value: Int64) -> Int64 { Int64(Double(value) * load) }
        let used = ResourceVector(
            cpuMillis: part(total.cpuMillis), memoryBytes: part(total.memoryBytes), gpu: part(total.gpu),
            gpuByModel: total.gpuByModel.mapValues(part), storageBytes: part(total.storageBytes),
            pods: part(total.pods))
        // The emptiest node of a loaded cluster has between a quarter and all of its room free.
        let freeShare = Double(random.next(in: 25...100)) / 100
        let largest = NodeResources(cpuMillis: Int64(Double(coresPerNode * 1000) * freeShare),
                                    memoryBytes: Int64(Double(coresPerNode * gibPerCore * Self.gibibyte) * freeShare),
                                    gpu: Int64(Double(gpusPerNode) * freeShare))
        let basePrice = [0.040, 0.035, 0.045][providerIndex]
        let priceJitter = 1 + Double(random.next(in: 0...30)) / 100
        return DomainSnapshot(
            name: "domain-\(String(index + 1).leftPadded(to: 5))", provider: Self.providers[providerIndex],
            region: region, labels: ["tier": index % 4 == 0 ? "gold" : "standard"],
            capabilities: gpusPerNode > 0 ? ["gpu"] : [], total: total, used: used,
            largestFreeNode: largest, pricePerCPUHour: basePrice * priceJitter,
            pricePerGiBHour: basePrice / 9 * priceJitter)
    }

    /// Returns a task: 1 to 20 replicas of 0.25 to 8 cores and 0.5 to 32 GiB each; a fifth need
    /// 1 to 4 GPUs, half of those of one model; half name user regions and a third a data region.
    mutating func task(index: Int) -> SchedulingTask {
        let regions = Self.regions
        let needsGPU = random.next(in: 0...4) == 0
        let requirements = ResourceRequirements(
            cpuMillis: Int64([250, 500, 1000, 2000, 4000, 8000][random.next(in: 0...5)]),
            memoryBytes: Int64([512, 1024, 4096, 8192, 32768][random.next(in: 0...4)]) << 20,
            gpu: needsGPU ? Int64(random.next(in: 1...4)) : 0)
        var locality = LocalityHints.none
        if random.next(in: 0...1) == 0 {
            locality.userRegions = (0..<random.next(in: 1...2)).map { _ in regions[random.next(in: 0...regions.count - 1)] }
        }
        if random.next(in: 0...2) == 0 {
            locality.dataRegion = regions[random.next(in: 0...regions.count - 1)]
        }
        let division: DivisionMode
        switch random.next(in: 0...9) {
        case 0: division = .aggregated
        case 1: division = .duplicated
        default: division = .dynamicWeights
        }
        return SchedulingTask(
            id: "task-\(index)", replicas: division == .duplicated ? random.next(in: 1...3) : random.next(in: 1...20),
            requirements: requirements,
            gpuModel: needsGPU && random.next(in: 0...1) == 0 ? Self.gpuModels[random.next(in: 0...2)] : nil,
            priority: random.next(in: 0...10) * 100, division: division, allowPartialPlacement: true,
            locality: locality)
    }
}

/// SplitMix64, a small seeded generator, so a benchmark run is the same on every machine.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xbf58_476d_1ce4_e5b9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94d0_49bb_1331_11eb
        return mixed ^ (mixed >> 31)
    }

    /// Returns an integer in `range`, uniform up to a bias below 2^-32 for small ranges.
    mutating func next(in range: ClosedRange<Int>) -> Int {
        let width = UInt64(range.upperBound - range.lowerBound + 1)
        return range.lowerBound + Int(next() % width)
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
