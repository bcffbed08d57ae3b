import DRODSDomain
import DRODSScheduling

let gibibyte: Int64 = 1 << 30

/// Returns a domain with `cores` CPU cores, `memoryGiB` of memory and `gpus` GPUs, with
/// `usedFraction` of every dimension used. The largest free node defaults to all free room.
func makeDomain(_ name: String, cores: Int64 = 100, memoryGiB: Int64 = 400, gpus: Int64 = 0,
                gpuModel: String? = nil, usedFraction: Double = 0, region: String? = nil,
                provider: String? = nil, zone: String? = nil, labels: [String: String] = [:],
                taints: [ClusterTaint] = [], capabilities: Set<String>? = nil,
                health: DomainHealth = .ready, largestFreeNode: NodeResources? = nil,
                pricePerCPUHour: Double = 0, pricePerGiBHour: Double = 0,
                latencyMs: [String: Double] = [:]) -> DomainSnapshot {
    let total = ResourceVector(cpuMillis: cores * 1000, memoryBytes: memoryGiB * gibibyte, gpu: gpus,
                               gpuByModel: gpuModel.map { [$0: gpus] } ?? [:],
                               storageBytes: 1000 * gibibyte, pods: 1000)
    func part(_ value: Int64) -> Int64 { Int64((Double(value) * usedFraction).rounded()) }
    let used = ResourceVector(cpuMillis: part(total.cpuMillis), memoryBytes: part(total.memoryBytes),
                              gpu: part(gpus), gpuByModel: gpuModel.map { [$0: part(gpus)] } ?? [:],
                              storageBytes: part(total.storageBytes), pods: part(total.pods))
    let node = largestFreeNode ?? NodeResources(cpuMillis: total.cpuMillis - used.cpuMillis,
                                                memoryBytes: total.memoryBytes - used.memoryBytes,
                                                gpu: gpus - used.gpu)
    return DomainSnapshot(name: name, provider: provider, region: region, zone: zone, labels: labels,
                          taints: taints, capabilities: capabilities ?? (gpus > 0 ? ["gpu"] : []),
                          health: health, total: total, used: used, largestFreeNode: node,
                          pricePerCPUHour: pricePerCPUHour, pricePerGiBHour: pricePerGiBHour,
                          latencyMs: latencyMs)
}

/// Returns a task of `replicas` replicas needing `cores` cores and `memoryGiB` each.
func makeTask(_ id: String = "task-1", replicas: Int, cores: Int64 = 1, memoryGiB: Int64 = 1,
              gpus: Int64 = 0, gpuModel: String? = nil, division: DivisionMode = .dynamicWeights,
              constraints: PlacementConstraints = .none, existing: [String: Int] = [:],
              allowPartialPlacement: Bool = false) -> SchedulingTask {
    SchedulingTask(id: id, replicas: replicas,
                   requirements: ResourceRequirements(cpuMillis: cores * 1000, memoryBytes: memoryGiB * gibibyte,
                                                      gpu: gpus),
                   gpuModel: gpuModel, constraints: constraints, division: division,
                   allowPartialPlacement: allowPartialPlacement, locality: .none, existing: existing)
}

/// SplitMix64, a small seeded generator so property loops are the same on every run.
struct SeededGenerator: RandomNumberGenerator {
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

func slot(_ domain: String, weight: Double, seats: Int = 0, capacity: Int = .max, minimum: Int = 0,
          taskID: String = "task-1") -> DivisionSlot {
    DivisionSlot(domain: domain, weight: weight, seats: seats, capacity: capacity, minimum: minimum,
                 tieBreaker: StableHash.tieBreaker(taskID: taskID, domain: domain))
}

func seats(_ slots: [DivisionSlot]) -> [String: Int] {
    Dictionary(uniqueKeysWithValues: slots.map { ($0.domain, $0.seats) })
}
