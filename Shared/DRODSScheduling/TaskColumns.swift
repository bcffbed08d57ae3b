import DRODSDomain

/// The fleet's columns as one task reads them: its need per dimension, the GPU columns of its
/// model, and the water-level lift of its configuration. Every function gives the answer of
/// the `DomainSnapshot` function it is named after, up to rounding in the last digits, because
/// levels multiply by inverse totals where the snapshot divides; `TaskColumnsTests` checks that.
struct TaskColumns {
    let fleet: FleetColumns
    /// One replica's need per dimension, in `ResourceDimension.allCases` order.
    private let needs: [Int64]
    /// `1 / need` per dimension, 0 where the need is 0.
    private let inverseNeeds: [Double]
    /// Dimensions the replica needs, and the others.
    private let needed: [Int]
    private let idle: [Int]
    /// The fleet's dimensions, with the GPU dimension of the task's model when it names one.
    private let dimensions: [DimensionColumns]
    let requirements: ResourceRequirements
    let limit: Double
    private let useForecast: Bool
    /// Capability bits a domain must have; nil when no domain offers one of them.
    private let requiredMask: UInt64?
    private let checksAffinity: Bool
    private let checksGPUModel: Bool

    init(context: FilterContext, fleet: FleetColumns) {
        self.fleet = fleet
        let task = context.task
        let replica = context.replicaResources
        let needs = ResourceDimension.allCases.map { replica.amount($0, gpuModel: task.gpuModel) }
        self.needs = needs
        inverseNeeds = needs.map { $0 > 0 ? 1 / Double($0) : 0 }
        needed = needs.indices.filter { needs[$0] > 0 }
        idle = needs.indices.filter { needs[$0] <= 0 }
        var dimensions = fleet.dimensions
        if let model = task.gpuModel {
            dimensions[FleetColumns.gpuDimension] = fleet.gpuModels[model] ?? .zeros(count: fleet.domains.count)
        }
        self.dimensions = dimensions
        requirements = task.requirements
        limit = task.waterLevelLimit
        useForecast = context.configuration.scheduleAgainstForecast
        requiredMask = fleet.mask(of: context.requiredCapabilities)
        let rules = task.constraints
        checksAffinity = !rules.domainNames.isEmpty || !rules.labels.isEmpty || !rules.providers.isEmpty
            || !rules.regions.isEmpty || !rules.zones.isEmpty
        checksGPUModel = task.gpuModel != nil && task.requirements.gpu > 0
    }

    @inline(__always)
    private func lift(_ domain: Int) -> Double {
        useForecast ? fleet.forecastLift[domain] : 0
    }

    /// `DomainSnapshot.nodeFits(requirements)`.
    @inline(__always)
    private func nodeFits(_ domain: Int) -> Bool {
        if fleet.hasFreeNodes[domain] { return fleet.domains[domain].nodeFits(requirements) }
        return requirements.cpuMillis <= fleet.nodeCPU[domain] && requirements.memoryBytes <= fleet.nodeMemory[domain]
            && requirements.gpu <= fleet.nodeGPU[domain]
    }

    /// The outcome of the standard filters over every domain, in column order.
    struct Scan {
        var candidates: [Int] = []
        /// Per candidate, its level after one replica over all dimensions, as
        /// `levelAfter(_:replicas: 1)` gives it.
        var levelsAfterOne: [Double] = []
        /// Per domain, `StandardRejection.passed` or the stage of the first check it fails.
        var stages: [UInt8] = []
    }

    /// Runs the checks of every plugin of `FilterRegistry.standard` for new replicas over all
    /// domains, one check at a time over all domains still passing, in the plugins' order, so
    /// that each loop is short and branch-light. Checks that need the domain's strings or
    /// sets run the plugin itself.
    func scan(context: FilterContext) -> Scan {
        typealias Stage = StandardRejection
        let count = fleet.domains.count
        let passed = Stage.passed
        var stages = [UInt8](repeating: passed, count: count)

        let ready = fleet.ready
        if fleet.capabilitiesFit {
            let masks = fleet.capabilityMasks
            let required = requiredMask ?? 0
            let impossible = requiredMask == nil
            for domain in 0..<count {
                if !ready[domain] {
                    stages[domain] = Stage.healthStage
                } else if impossible || masks[domain] & required != required {
                    stages[domain] = Stage.capabilityStage
                }
            }
        } else {
            for domain in 0..<count {
                if !ready[domain] {
                    stages[domain] = Stage.healthStage
                } else if CapabilityFilter().filter(fleet.domains[domain], context: context) != nil {
                    stages[domain] = Stage.capabilityStage
                }
            }
        }
        if checksAffinity {
            let affinity = AffinityRules(context.task.constraints)
            for domain in 0..<count where stages[domain] == passed && !affinity.allows(fleet.domains[domain]) {
                stages[domain] = Stage.affinityStage
            }
        }
        for domain in fleet.taintedDomains where stages[domain] == passed
        && TaintFilter().filter(fleet.domains[domain], context: context) != nil {
            stages[domain] = Stage.taintStage
        }
        if checksGPUModel {
            let totals = dimensions[FleetColumns.gpuDimension].totals
            for domain in 0..<count where stages[domain] == passed && totals[domain] <= 0 {
                stages[domain] = Stage.gpuModelStage
            }
        }

        // Per needed dimension, one loop without branches over buffers: the first dimension
        // without room rejects a domain, and every domain's highest level after one replica
        // over the needed dimensions is kept for the water-level check.
        var highestNeeded = [Double](repeating: -.infinity, count: count)
        highestNeeded.withUnsafeMutableBufferPointer { highest in
            stages.withUnsafeMutableBufferPointer { stages in
                for lane in needed {
                    let need = needs[lane]
                    let stage = Stage.resourcesStage + UInt8(lane)
                    let columns = dimensions[lane]
                    columns.free.withUnsafeBufferPointer { free in
                        columns.occupied.withUnsafeBufferPointer { occupied in
                            columns.inverseTotals.withUnsafeBufferPointer { inverseTotals in
                                for domain in 0..<count {
                                    let level = Double(occupied[domain] &+ need) * inverseTotals[domain]
                                    highest[domain] = level > highest[domain] ? level : highest[domain]
                                    let current = stages[domain]
                                    stages[domain] = current == passed && free[domain] < need ? stage : current
                                }
                            }
                        }
                    }
                }
            }
        }

        // Node fit and water level for the domains still passing. The survivors are the
        // candidates, each with its level after one replica over every dimension with a total.
        let hasFreeNodes = fleet.hasFreeNodes
        let nodeCPU = fleet.nodeCPU, nodeMemory = fleet.nodeMemory, nodeGPU = fleet.nodeGPU
        let lifts = useForecast ? fleet.forecastLift : nil
        let idleLevels = idle.map { dimensions[$0].levels }
        let threshold = limit + 1e-9
        var found = 0
        var levels: [Double] = []
        let candidates = [Int](unsafeUninitializedCapacity: count) { candidates, initialized in
            levels = [Double](unsafeUninitializedCapacity: count) { levels, levelCount in
                for domain in 0..<count where stages[domain] == passed {
                    let fits = hasFreeNodes[domain]
                        ? fleet.domains[domain].nodeFits(requirements)
                        : requirements.cpuMillis <= nodeCPU[domain] && requirements.memoryBytes <= nodeMemory[domain]
                            && requirements.gpu <= nodeGPU[domain]
                    guard fits else {
                        stages[domain] = Stage.nodeFitStage
                        continue
                    }
                    let lift = lifts?[domain] ?? 0
                    var highest = highestNeeded[domain]
                    guard !(highest + lift > threshold) else {
                        stages[domain] = Stage.waterLevelStage
                        continue
                    }
                    for levels in idleLevels where levels[domain] > highest { highest = levels[domain] }
                    candidates[found] = domain
                    levels[found] = highest == -.infinity ? 0 : highest + lift
                    found += 1
                }
                levelCount = found
            }
            initialized = found
        }
        var scan = Scan()
        scan.candidates = candidates
        scan.levelsAfterOne = levels
        scan.stages = stages
        return scan
    }

    /// Returns the rejection of a domain the scan stopped at `stage`.
    func rejection(of domain: Int, stage: UInt8) -> StandardRejection {
        switch stage {
        case StandardRejection.healthStage: return .health(fleet.health[domain])
        case StandardRejection.capabilityStage:
            guard fleet.capabilitiesFit, let requiredMask else { return .capability(missing: .max) }
            return .capability(missing: requiredMask & ~fleet.capabilityMasks[domain])
        case StandardRejection.affinityStage: return .affinity
        case StandardRejection.taintStage: return .taint
        case StandardRejection.gpuModelStage: return .gpuModel
        case StandardRejection.nodeFitStage: return .nodeFit
        case StandardRejection.waterLevelStage: return .waterLevel
        default: return .resources(dimension: Int(stage - StandardRejection.resourcesStage))
        }
    }

    /// `DomainSnapshot.replicaCapacity(for:gpuModel:limit:lift:)`.
    func capacity(_ domain: Int) -> Int {
        guard nodeFits(domain) else { return 0 }
        let lift = self.lift(domain)
        var capacity = Int.max
        for lane in needed {
            let headroom = (limit - lift) * Double(dimensions[lane].totals[domain]) - Double(dimensions[lane].occupied[domain])
            let fitting = headroom <= 0 ? 0 : Int(((headroom * inverseNeeds[lane]) + 1e-9).rounded(.down))
            capacity = min(capacity, fitting)
        }
        return capacity == Int.max ? 0 : capacity
    }

    /// Returns `capacity(_:)` of each domain at `indices`, in that order: one pass per needed
    /// dimension over buffers, for divisions that need every candidate's capacity.
    func capacities(of indices: [Int]) -> [Int] {
        var result = [Int](repeating: Int.max, count: indices.count)
        result.withUnsafeMutableBufferPointer { result in
            for lane in needed {
                let inverseNeed = inverseNeeds[lane]
                dimensions[lane].totals.withUnsafeBufferPointer { totals in
                    dimensions[lane].occupied.withUnsafeBufferPointer { occupied in
                        for (position, domain) in indices.enumerated() {
                            let headroom = (limit - lift(domain)) * Double(totals[domain]) - Double(occupied[domain])
                            let fitting = headroom <= 0 ? 0 : Int(((headroom * inverseNeed) + 1e-9).rounded(.down))
                            if fitting < result[position] { result[position] = fitting }
                        }
                    }
                }
            }
            for (position, domain) in indices.enumerated() {
                if result[position] == Int.max || !nodeFits(domain) { result[position] = 0 }
            }
        }
        return result
    }

    /// Returns `DomainSnapshot.waterLevel(adding:gpuModel:lift:)` after `count` replicas.
    func levelAfter(_ domain: Int, replicas count: Int) -> Double {
        let lift = self.lift(domain)
        let multiplier = Int64(count)
        var highest: Double?
        for lane in 0..<FleetColumns.dimensionCount {
            let (product, overflow) = needs[lane].multipliedReportingOverflow(by: multiplier)
            let extra = overflow ? Int64.max : product
            let level: Double
            if dimensions[lane].totals[domain] <= 0 {
                guard extra > 0 else { continue }
                level = .infinity
            } else {
                level = Double(dimensions[lane].occupied[domain] &+ extra) * dimensions[lane].inverseTotals[domain] + lift
            }
            highest = max(highest ?? level, level)
        }
        return highest ?? 0
    }
}
