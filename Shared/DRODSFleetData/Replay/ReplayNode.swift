/// The free room of one node during a replay, GPU by GPU, so that pods sharing GPUs fragment
/// it as they would on a real node.
public struct ReplayNode: Equatable, Sendable {
    public let cpuMillis: Int64
    public let memoryBytes: Int64
    public let gpuModel: String
    public private(set) var freeCPUMillis: Int64
    public private(set) var freeMemoryBytes: Int64
    /// Free thousandths of each GPU; 1000 is an idle GPU.
    public private(set) var freeGPUMilli: [Int64]

    public init(_ node: TraceNode) {
        cpuMillis = node.cpuMillis
        memoryBytes = node.memoryMiB << 20
        gpuModel = node.gpuModel
        freeCPUMillis = cpuMillis
        freeMemoryBytes = memoryBytes
        freeGPUMilli = Array(repeating: 1000, count: node.gpus)
    }

    /// GPUs with nothing on them.
    public var idleGPUs: Int { freeGPUMilli.reduce(0) { $0 + ($1 == 1000 ? 1 : 0) } }

    /// The largest GPU demand, in thousandths, that one more pod can have here: all idle GPUs
    /// for a pod that takes whole GPUs, or else the freest single GPU for a sharing pod.
    public var gpuRoom: Int64 {
        let idle = idleGPUs
        return idle > 0 ? Int64(idle) * 1000 : (freeGPUMilli.max() ?? 0)
    }

    public func fits(_ pod: TracePod) -> Bool {
        guard pod.cpuMillis <= freeCPUMillis, pod.memoryMiB << 20 <= freeMemoryBytes else { return false }
        guard pod.gpuCount > 0 else { return true }
        if !pod.gpuSpec.isEmpty && pod.gpuSpec != gpuModel { return false }
        if pod.sharesGPU { return freeGPUMilli.contains { $0 >= pod.gpuMilli } }
        return idleGPUs >= pod.gpuCount
    }

    /// Returns the fraction of the node left free after `pod`, summed over CPU, memory and
    /// (on nodes with GPUs) GPU; the smaller, the tighter the fit.
    func remainingShare(after pod: TracePod) -> Double {
        var share = Double(freeCPUMillis - pod.cpuMillis) / Double(max(1, cpuMillis))
            + Double(freeMemoryBytes - (pod.memoryMiB << 20)) / Double(max(1, memoryBytes))
        if !freeGPUMilli.isEmpty {
            let freeGPU = freeGPUMilli.reduce(0, +) - pod.gpuMilliDemand
            share += Double(freeGPU) / Double(freeGPUMilli.count * 1000)
        }
        return share
    }

    /// Places `pod`, which must fit, and returns the GPU indices it took. A sharing pod takes
    /// the fullest GPU that still has room for it; a whole-GPU pod takes idle GPUs.
    mutating func place(_ pod: TracePod) -> [Int] {
        freeCPUMillis -= pod.cpuMillis
        freeMemoryBytes -= pod.memoryMiB << 20
        guard pod.gpuCount > 0 else { return [] }
        if pod.sharesGPU {
            var chosen: Int?
            for (index, free) in freeGPUMilli.enumerated() where free >= pod.gpuMilli {
                if let current = chosen, freeGPUMilli[current] <= free { continue }
                chosen = index
            }
            guard let index = chosen else { preconditionFailure("place called for a pod that does not fit") }
            freeGPUMilli[index] -= pod.gpuMilli
            return [index]
        }
        let idle = freeGPUMilli.indices.filter { freeGPUMilli[$0] == 1000 }.prefix(pod.gpuCount)
        for index in idle { freeGPUMilli[index] = 0 }
        return Array(idle)
    }

    /// Gives back what `place` took for `pod` on `gpus`.
    mutating func release(_ pod: TracePod, gpus: [Int]) {
        freeCPUMillis += pod.cpuMillis
        freeMemoryBytes += pod.memoryMiB << 20
        for index in gpus { freeGPUMilli[index] += pod.sharesGPU ? pod.gpuMilli : 1000 }
    }
}
