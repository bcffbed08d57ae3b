import DRODSDomain
import Foundation

/// The numbers of every domain of a fleet snapshot in flat arrays, in domain name order.
///
/// A decision reads these instead of the snapshots, because copying a `DomainSnapshot` retains
/// its strings, dictionaries and sets, and at a thousand domains those copies were much of a
/// decision's time. The columns are built once per snapshot and shared by every decision
/// against it.
final class FleetColumns: Sendable {
    /// Dimensions in `ResourceDimension.allCases` order.
    static let dimensionCount = ResourceDimension.allCases.count
    static let gpuDimension = 2

    let domains: [DomainSnapshot]
    let health: [DomainHealth]
    let ready: [Bool]
    /// Capabilities as bits of `capabilityBits`; unusable when `capabilitiesFit` is false,
    /// because the fleet names more than 64.
    let capabilityMasks: [UInt64]
    let capabilityBits: [String: UInt64]
    let capabilitiesFit: Bool
    let hasTaints: [Bool]
    /// Indices of the domains with taints, ascending.
    let taintedDomains: [Int]
    let hasFreeNodes: [Bool]
    let hasMeasuredLatency: [Bool]
    /// Index into `regions`; `domainRegionCount` for a domain without a region.
    let regionIndex: [Int]
    /// The domains' regions first, then the other regions of the latency matrix.
    let regions: [String]
    let domainRegionCount: Int
    let regionPositions: [String: Int]
    /// Round-trip milliseconds from region `i` to region `j` at `i × regions.count + j`, read
    /// in the other direction when missing; NaN when unknown. Inside a region it is 0.
    let regionLatencyMs: [Double]
    /// One column set per dimension, GPUs of every model in the GPU dimension.
    let dimensions: [DimensionColumns]
    /// The GPU dimension per model.
    let gpuModels: [String: DimensionColumns]
    let nodeCPU: [Int64]
    let nodeMemory: [Int64]
    let nodeGPU: [Int64]
    /// `planningLift(useForecast: true)` of each domain.
    let forecastLift: [Double]
    let pricePerCPUHour: [Double]
    let pricePerGiBHour: [Double]
    /// Mean clamped water level of the ready domains, without and with the forecast lift.
    let meanLevel: Double
    let meanLevelWithForecast: Double
    /// Each domain's clamped water level, without and with the forecast lift, from which the
    /// means over the ready domains are summed.
    let clampedLevels: [Double]
    let clampedForecastLevels: [Double]
    /// Column index of each domain name.
    let positions: [String: Int]

    /// Builds the columns of `unordered` in name order, or in the given order when
    /// `sortingByName` is false.
    init(_ unordered: [DomainSnapshot], regionLatencyMs matrix: [String: [String: Double]] = [:],
         sortingByName: Bool = true) {
        var sorted = true
        for index in unordered.indices.dropFirst()
        where sortingByName && !(unordered[index - 1].name < unordered[index].name) {
            sorted = false
            break
        }
        let domains = sorted ? unordered : unordered.sorted { $0.name < $1.name }
        self.domains = domains
        let count = domains.count

        var regions: [String] = []
        var regionPositions: [String: Int] = [:]
        var regionIndex = [Int](repeating: 0, count: count)
        var capabilityBits: [String: UInt64] = [:]
        var capabilitiesFit = true
        var masks = [UInt64](repeating: 0, count: count)
        var totals = [[Int64]](repeating: [Int64](repeating: 0, count: count), count: Self.dimensionCount)
        var occupied = totals
        var modelTotals: [String: [Int64]] = [:]
        var modelOccupied: [String: [Int64]] = [:]
        var forecastLift = [Double](repeating: 0, count: count)
        var clampedLevels = [Double](repeating: 0, count: count)
        var clampedForecastLevels = [Double](repeating: 0, count: count)

        for (index, domain) in domains.enumerated() {
            if let region = domain.region {
                if let position = regionPositions[region] {
                    regionIndex[index] = position
                } else {
                    regionPositions[region] = regions.count
                    regionIndex[index] = regions.count
                    regions.append(region)
                }
            }
            for capability in domain.capabilities {
                if capabilityBits[capability] == nil {
                    if capabilityBits.count == 64 { capabilitiesFit = false } else {
                        capabilityBits[capability] = 1 << UInt64(capabilityBits.count)
                    }
                }
                masks[index] |= capabilityBits[capability] ?? 0
            }
            for (lane, dimension) in ResourceDimension.allCases.enumerated() {
                totals[lane][index] = domain.total.amount(dimension)
                occupied[lane][index] = domain.used.amount(dimension) &+ domain.reserved.amount(dimension)
            }
            for (model, amount) in domain.total.gpuByModel {
                modelTotals[model, default: [Int64](repeating: 0, count: count)][index] = amount
            }
            for model in Set(domain.used.gpuByModel.keys).union(domain.reserved.gpuByModel.keys) {
                modelOccupied[model, default: [Int64](repeating: 0, count: count)][index] =
                    (domain.used.gpuByModel[model] ?? 0) &+ (domain.reserved.gpuByModel[model] ?? 0)
            }
            forecastLift[index] = domain.planningLift(useForecast: true)
            (clampedLevels[index], clampedForecastLevels[index]) = Self.clampedLevels(of: domain, lift: forecastLift[index])
        }
        // A domain without a region shares the slot after the named ones.
        let domainRegionCount = regions.count
        for index in domains.indices where domains[index].region == nil { regionIndex[index] = domainRegionCount }
        for region in matrix.keys.sorted() + matrix.values.flatMap(\.keys).sorted() where regionPositions[region] == nil {
            regionPositions[region] = regions.count
            regions.append(region)
        }
        var latency = [Double](repeating: .nan, count: regions.count * regions.count)
        for (from, fromPosition) in regionPositions {
            for (to, toPosition) in regionPositions {
                latency[fromPosition * regions.count + toPosition] = from == to
                    ? 0 : matrix[from]?[to] ?? matrix[to]?[from] ?? .nan
            }
        }

        var gpuModels: [String: DimensionColumns] = [:]
        for model in Set(modelTotals.keys).union(modelOccupied.keys) {
            let zeros = [Int64](repeating: 0, count: count)
            gpuModels[model] = DimensionColumns(totals: modelTotals[model] ?? zeros, occupied: modelOccupied[model] ?? zeros)
        }

        health = domains.map(\.health)
        ready = domains.map { $0.health == .ready }
        capabilityMasks = masks
        self.capabilityBits = capabilityBits
        self.capabilitiesFit = capabilitiesFit
        hasTaints = domains.map { !$0.taints.isEmpty }
        taintedDomains = domains.indices.filter { !domains[$0].taints.isEmpty }
        hasFreeNodes = domains.map { !$0.freeNodes.isEmpty }
        hasMeasuredLatency = domains.map { !$0.latencyMs.isEmpty }
        self.regionIndex = regionIndex
        self.regions = regions
        self.domainRegionCount = domainRegionCount
        self.regionPositions = regionPositions
        regionLatencyMs = latency
        dimensions = (0..<Self.dimensionCount).map { DimensionColumns(totals: totals[$0], occupied: occupied[$0]) }
        self.gpuModels = gpuModels
        nodeCPU = domains.map(\.largestFreeNode.cpuMillis)
        nodeMemory = domains.map(\.largestFreeNode.memoryBytes)
        nodeGPU = domains.map(\.largestFreeNode.gpu)
        self.forecastLift = forecastLift
        pricePerCPUHour = domains.map(\.pricePerCPUHour)
        pricePerGiBHour = domains.map(\.pricePerGiBHour)
        self.clampedLevels = clampedLevels
        self.clampedForecastLevels = clampedForecastLevels
        positions = Dictionary(domains.indices.map { (domains[$0].name, $0) }, uniquingKeysWith: { first, _ in first })
        (meanLevel, meanLevelWithForecast) = Self.readyMeans(ready: ready, clampedLevels: clampedLevels,
                                                             clampedForecastLevels: clampedForecastLevels)
    }

    /// Copies the columns of `other` with the domains at `indices` replaced by `changed`, each
    /// entry computed by the formulas of the building `init`. The fields stay constants, which
    /// lets decisions read them without access checks.
    private init(_ other: FleetColumns, replacingAt indices: [Int], with changed: [DomainSnapshot]) {
        var domains = other.domains
        var health = other.health
        var ready = other.ready
        var hasFreeNodes = other.hasFreeNodes
        var dimensions = other.dimensions
        var gpuModels = other.gpuModels
        var nodeCPU = other.nodeCPU
        var nodeMemory = other.nodeMemory
        var nodeGPU = other.nodeGPU
        var forecastLift = other.forecastLift
        var pricePerCPUHour = other.pricePerCPUHour
        var pricePerGiBHour = other.pricePerGiBHour
        var clampedLevels = other.clampedLevels
        var clampedForecastLevels = other.clampedForecastLevels
        for (index, domain) in zip(indices, changed) {
            domains[index] = domain
            health[index] = domain.health
            ready[index] = domain.health == .ready
            hasFreeNodes[index] = !domain.freeNodes.isEmpty
            for (lane, dimension) in ResourceDimension.allCases.enumerated() {
                dimensions[lane].set(index, total: domain.total.amount(dimension),
                                     occupied: domain.used.amount(dimension) &+ domain.reserved.amount(dimension))
            }
            for model in gpuModels.keys {
                gpuModels[model]?.set(index, total: domain.total.gpuByModel[model] ?? 0,
                                      occupied: (domain.used.gpuByModel[model] ?? 0) &+ (domain.reserved.gpuByModel[model] ?? 0))
            }
            nodeCPU[index] = domain.largestFreeNode.cpuMillis
            nodeMemory[index] = domain.largestFreeNode.memoryBytes
            nodeGPU[index] = domain.largestFreeNode.gpu
            forecastLift[index] = domain.planningLift(useForecast: true)
            pricePerCPUHour[index] = domain.pricePerCPUHour
            pricePerGiBHour[index] = domain.pricePerGiBHour
            (clampedLevels[index], clampedForecastLevels[index]) = Self.clampedLevels(of: domain, lift: forecastLift[index])
        }

        self.domains = domains
        self.health = health
        self.ready = ready
        capabilityMasks = other.capabilityMasks
        capabilityBits = other.capabilityBits
        capabilitiesFit = other.capabilitiesFit
        hasTaints = other.hasTaints
        taintedDomains = other.taintedDomains
        self.hasFreeNodes = hasFreeNodes
        hasMeasuredLatency = other.hasMeasuredLatency
        regionIndex = other.regionIndex
        regions = other.regions
        domainRegionCount = other.domainRegionCount
        regionPositions = other.regionPositions
        regionLatencyMs = other.regionLatencyMs
        self.dimensions = dimensions
        self.gpuModels = gpuModels
        self.nodeCPU = nodeCPU
        self.nodeMemory = nodeMemory
        self.nodeGPU = nodeGPU
        self.forecastLift = forecastLift
        self.pricePerCPUHour = pricePerCPUHour
        self.pricePerGiBHour = pricePerGiBHour
        self.clampedLevels = clampedLevels
        self.clampedForecastLevels = clampedForecastLevels
        positions = other.positions
        (meanLevel, meanLevelWithForecast) = Self.readyMeans(ready: ready, clampedLevels: clampedLevels,
                                                             clampedForecastLevels: clampedForecastLevels)
    }

    /// Returns a domain's water level and its level with `lift`, each clamped to [0, 1].
    static func clampedLevels(of domain: DomainSnapshot, lift: Double) -> (Double, Double) {
        (min(1, max(0, domain.waterLevel())), min(1, max(0, domain.waterLevel(lift: lift))))
    }

    /// Returns the mean clamped level of the ready domains, without and with the forecast
    /// lift, summed in column order.
    private static func readyMeans(ready: [Bool], clampedLevels: [Double],
                                   clampedForecastLevels: [Double]) -> (Double, Double) {
        var levelSum = 0.0
        var forecastLevelSum = 0.0
        var readyCount = 0
        for index in ready.indices where ready[index] {
            levelSum += clampedLevels[index]
            forecastLevelSum += clampedForecastLevels[index]
            readyCount += 1
        }
        guard readyCount > 0 else { return (0, 0) }
        return (levelSum / Double(readyCount), forecastLevelSum / Double(readyCount))
    }

    /// Returns the capability mask a domain needs to pass `required`, or nil when a required
    /// capability is one no domain offers.
    func mask(of required: Set<String>) -> UInt64? {
        var mask: UInt64 = 0
        for capability in required {
            guard let bit = capabilityBits[capability] else { return nil }
            mask |= bit
        }
        return mask
    }
}

extension FleetColumns {
    /// Returns the columns with `changed` in place of the domains of the same names. Only
    /// numbers change here: totals, use, reservations, health, nodes and prices.
    ///
    /// Returns nil when a change needs a full rebuild. That is the case for an unknown name,
    /// and for a domain whose region, capabilities, GPU models, or presence of taints or of
    /// latency measurements differ from what the columns index.
    ///
    /// Every entry is computed by the formulas of `init`, so the result equals the columns a
    /// rebuild would give. The copy costs one pass over each column, where a rebuild of a
    /// thousand domains costs milliseconds.
    func updating(_ changed: [DomainSnapshot]) -> FleetColumns? {
        var indices: [Int] = []
        indices.reserveCapacity(changed.count)
        for domain in changed {
            guard let index = positions[domain.name], keepsLayout(domains[index], domain) else { return nil }
            indices.append(index)
        }
        return FleetColumns(self, replacingAt: indices, with: changed)
    }

    /// Returns whether `new` fits the columns built with `old`: the parts that shape them
    /// other than numbers are the same.
    private func keepsLayout(_ old: DomainSnapshot, _ new: DomainSnapshot) -> Bool {
        guard old.region == new.region, old.capabilities == new.capabilities,
              old.taints.isEmpty == new.taints.isEmpty, old.latencyMs.isEmpty == new.latencyMs.isEmpty else {
            return false
        }
        for vector in [new.total, new.used, new.reserved] {
            for model in vector.gpuByModel.keys where gpuModels[model] == nil { return false }
        }
        return true
    }
}

/// One resource dimension of every domain, one entry per domain.
///
/// Levels multiply by `inverseTotals` where the snapshot divides by the total, so the
/// divisions happen once per fleet state instead of once per task.
struct DimensionColumns: Sendable {
    private(set) var totals: [Int64]
    /// `used + reserved`.
    private(set) var occupied: [Int64]
    /// `total − occupied`.
    private(set) var free: [Int64]
    /// `1 / total`, 0 where the total is 0 or less.
    private(set) var inverseTotals: [Double]
    /// `occupied / total`, or −∞ where the total is 0 or less, so that the dimension never
    /// raises a maximum.
    private(set) var levels: [Double]

    init(totals: [Int64], occupied: [Int64]) {
        self.totals = totals
        self.occupied = occupied
        free = zip(totals, occupied).map { $0 &- $1 }
        let inverseTotals = totals.map { $0 > 0 ? 1 / Double($0) : 0 }
        self.inverseTotals = inverseTotals
        levels = totals.indices.map { totals[$0] > 0 ? Double(occupied[$0]) * inverseTotals[$0] : -.infinity }
    }

    /// Sets one domain's total and occupied amount, with what derives from them, by the same
    /// formulas as `init`.
    mutating func set(_ index: Int, total: Int64, occupied amount: Int64) {
        totals[index] = total
        occupied[index] = amount
        free[index] = total &- amount
        let inverse = total > 0 ? 1 / Double(total) : 0
        inverseTotals[index] = inverse
        levels[index] = total > 0 ? Double(amount) * inverse : -.infinity
    }

    static func zeros(count: Int) -> DimensionColumns {
        DimensionColumns(totals: [Int64](repeating: 0, count: count), occupied: [Int64](repeating: 0, count: count))
    }
}

/// Holds the columns of one fleet snapshot, built on first use. Copies of a snapshot share
/// the cache; a snapshot whose domains change gets a new one.
final class FleetColumnsCache: @unchecked Sendable {
    // Guards `built`; decisions on several threads may read one snapshot.
    private let lock = NSLock()
    private var built: FleetColumns?

    init(built: FleetColumns? = nil) {
        self.built = built
    }

    /// The columns when they have been built, without building them.
    var builtColumns: FleetColumns? {
        lock.withLock { built }
    }

    func columns(for domains: [DomainSnapshot], regionLatencyMs: [String: [String: Double]]) -> FleetColumns {
        lock.lock()
        defer { lock.unlock() }
        if let built { return built }
        let columns = FleetColumns(domains, regionLatencyMs: regionLatencyMs)
        built = columns
        return columns
    }
}
