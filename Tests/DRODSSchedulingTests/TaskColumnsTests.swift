import DRODSDomain
@testable import DRODSScheduling
import XCTest

/// The column scan and the ranking are fast paths. These tests compare them with the plugins
/// and snapshot functions they replace, on random fleets that exercise every check.
final class TaskColumnsTests: XCTestCase {
    private static let models = ["a100", "t4"]

    private func randomFleet(_ generator: inout SeededGenerator, count: Int) -> FleetSnapshot {
        let domains = (0..<count).map { index -> DomainSnapshot in
            let gpus = Int64([0, 0, 8, 16].randomElement(using: &generator)!)
            let model = gpus > 0 ? Self.models.randomElement(using: &generator) : nil
            var domain = makeDomain(
                "d\(String(index + 100))", cores: Int64.random(in: 8...200, using: &generator),
                memoryGiB: Int64.random(in: 16...800, using: &generator), gpus: gpus, gpuModel: model,
                usedFraction: Double.random(in: 0...0.95, using: &generator),
                region: ["r1", "r2", nil].randomElement(using: &generator)!,
                provider: ["aws", "gcp"].randomElement(using: &generator),
                labels: ["tier": ["gold", "silver"].randomElement(using: &generator)!],
                taints: Int.random(in: 0...5, using: &generator) == 0
                    ? [ClusterTaint(key: "dedicated", effect: [.noSchedule, .preferNoSchedule].randomElement(using: &generator)!)]
                    : [],
                health: Int.random(in: 0...9, using: &generator) == 0 ? .unknown : .ready,
                largestFreeNode: NodeResources(cpuMillis: Int64.random(in: 0...16_000, using: &generator),
                                               memoryBytes: Int64.random(in: 0...64, using: &generator) * gibibyte,
                                               gpu: Int64.random(in: 0...4, using: &generator)),
                pricePerCPUHour: Double.random(in: 0...0.1, using: &generator))
            if Bool.random(using: &generator) {
                domain.reserved = ResourceVector(cpuMillis: Int64.random(in: 0...20_000, using: &generator),
                                                 memoryBytes: 2 * gibibyte, pods: 3)
            }
            if Int.random(in: 0...3, using: &generator) == 0 {
                domain.forecastWaterLevel = Double.random(in: 0...1, using: &generator)
            }
            if Int.random(in: 0...4, using: &generator) == 0 {
                domain.freeNodes = [NodeResources(cpuMillis: 4_000, memoryBytes: 8 * gibibyte),
                                    NodeResources(cpuMillis: 1_000, memoryBytes: 32 * gibibyte, gpu: 2)]
            }
            return domain
        }
        return FleetSnapshot(domains: domains)
    }

    private func randomTask(_ generator: inout SeededGenerator, index: Int) -> SchedulingTask {
        let gpus = Int64([0, 0, 1, 2].randomElement(using: &generator)!)
        var constraints = PlacementConstraints()
        switch Int.random(in: 0...7, using: &generator) {
        case 0: constraints.labels = ["tier": "gold"]
        case 1: constraints.regions = ["r1"]
        case 2: constraints.tolerations = [Toleration(key: "dedicated", operator: .exists)]
        case 3: constraints.requiredCapabilities = ["fpga"]
        case 4: constraints.domainNames = (100..<140).filter { _ in Bool.random(using: &generator) }.map { "d\($0)" }
        case 5:
            constraints.providers = ["gcp"]
            constraints.regions = ["r2", ""]
        default: break
        }
        var task = makeTask("task-\(index)", replicas: Int.random(in: 0...40, using: &generator),
                            cores: Int64.random(in: 1...12, using: &generator),
                            memoryGiB: Int64.random(in: 1...40, using: &generator), gpus: gpus,
                            gpuModel: gpus > 0 && Bool.random(using: &generator) ? Self.models.randomElement(using: &generator) : nil,
                            division: [.dynamicWeights, .aggregated, .duplicated].randomElement(using: &generator)!,
                            constraints: constraints, allowPartialPlacement: Bool.random(using: &generator))
        task.waterLevelLimit = [0.85, 0.6, 1].randomElement(using: &generator)!
        return task
    }

    func testScanAgreesWithThePlugins() {
        var generator = SeededGenerator(seed: 11)
        var passedCount = 0
        var rejectedCount = 0
        for round in 0..<60 {
            let fleet = randomFleet(&generator, count: 40)
            let task = randomTask(&generator, index: round)
            var configuration = SchedulerConfiguration()
            configuration.scheduleAgainstForecast = round % 3 == 0
            let context = FilterContext(task: task, fleet: fleet, configuration: configuration)
            let view = TaskColumns(context: context, fleet: fleet.columns)
            let scan = view.scan(context: context)
            for (index, domain) in fleet.columns.domains.enumerated() {
                let failure = FilterRegistry.standard.firstFailure(of: domain, context: context)
                let stage = scan.stages[index]
                if stage == StandardRejection.passed {
                    XCTAssertNil(failure, "round \(round) \(domain.name) passed the scan only")
                    passedCount += 1
                } else {
                    XCTAssertEqual(failure?.code, Self.code(of: view.rejection(of: index, stage: stage)),
                                   "round \(round) \(domain.name)")
                    rejectedCount += 1
                }
            }
            for (position, index) in scan.candidates.enumerated() {
                let domain = fleet.columns.domains[index]
                let lift = domain.planningLift(useForecast: configuration.scheduleAgainstForecast)
                XCTAssertEqual(view.capacity(index), domain.replicaCapacity(
                    for: task.replicaResources, gpuModel: task.gpuModel, limit: task.waterLevelLimit, lift: lift),
                               "round \(round) \(domain.name)")
                for count in [1, 3] {
                    let expected = domain.waterLevel(adding: task.replicaResources.scaled(by: count),
                                                     gpuModel: task.gpuModel, lift: lift)
                    XCTAssertEqual(view.levelAfter(index, replicas: count), expected, accuracy: 1e-12 * max(1, expected))
                }
                XCTAssertEqual(scan.levelsAfterOne[position], view.levelAfter(index, replicas: 1), accuracy: 1e-12)
            }
        }
        // Both outcomes must occur often, or the agreement above proves little.
        XCTAssertGreaterThan(passedCount, 100)
        XCTAssertGreaterThan(rejectedCount, 300)
    }

    /// Columns updated for changed numbers must equal a rebuild, and so must the decisions.
    func testUpdatedColumnsEqualARebuild() {
        var generator = SeededGenerator(seed: 31)
        var updatedRounds = 0
        for round in 0..<30 {
            var fleet = randomFleet(&generator, count: 25)
            _ = fleet.columns
            var changed: [DomainSnapshot] = []
            for index in fleet.domains.indices where Bool.random(using: &generator) {
                var domain = fleet.domains[index]
                domain.used.cpuMillis = Int64.random(in: 0...domain.total.cpuMillis, using: &generator)
                domain.reserved = ResourceVector(cpuMillis: Int64.random(in: 0...8_000, using: &generator),
                                                 memoryBytes: Int64.random(in: 0...8, using: &generator) * gibibyte,
                                                 pods: Int64.random(in: 0...4, using: &generator))
                if let model = domain.total.gpuByModel.keys.first {
                    domain.used.gpuByModel[model] = Int64.random(in: 0...(domain.total.gpuByModel[model] ?? 0), using: &generator)
                }
                domain.health = Int.random(in: 0...3, using: &generator) == 0 ? .unknown : .ready
                domain.largestFreeNode.cpuMillis = Int64.random(in: 0...16_000, using: &generator)
                if Bool.random(using: &generator) { domain.freeNodes = [] }
                domain.forecastWaterLevel = Bool.random(using: &generator) ? Double.random(in: 0...1, using: &generator) : nil
                domain.pricePerCPUHour = Double.random(in: 0...0.1, using: &generator)
                changed.append(domain)
            }
            // Every third round also changes what the columns are laid out by.
            let relayout = round % 3 == 2 && !changed.isEmpty
            if relayout { changed[0].capabilities.insert("fpga") }

            fleet.replaceDomains(changed)
            XCTAssertEqual(fleet.hasBuiltColumns, !relayout, "round \(round)")
            if fleet.hasBuiltColumns { updatedRounds += 1 }
            for domain in changed { XCTAssertEqual(fleet.domain(named: domain.name), domain) }
            assertSameColumns(fleet.columns, FleetColumns(fleet.domains), "round \(round)")

            let fresh = FleetSnapshot(domains: fleet.domains)
            for index in 0..<5 {
                let task = randomTask(&generator, index: index)
                XCTAssertEqual(Scheduler.decide(task, fleet: fleet), Scheduler.decide(task, fleet: fresh),
                               "round \(round) task \(index)")
            }
        }
        XCTAssertGreaterThan(updatedRounds, 15)
    }

    private func assertSameColumns(_ lhs: FleetColumns, _ rhs: FleetColumns, _ message: String,
                                   file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(lhs.domains, rhs.domains, message, file: file, line: line)
        XCTAssertEqual(lhs.health, rhs.health, message, file: file, line: line)
        XCTAssertEqual(lhs.ready, rhs.ready, message, file: file, line: line)
        XCTAssertEqual(lhs.capabilityMasks, rhs.capabilityMasks, message, file: file, line: line)
        XCTAssertEqual(lhs.hasTaints, rhs.hasTaints, message, file: file, line: line)
        XCTAssertEqual(lhs.hasFreeNodes, rhs.hasFreeNodes, message, file: file, line: line)
        XCTAssertEqual(lhs.regionIndex, rhs.regionIndex, message, file: file, line: line)
        for lane in lhs.dimensions.indices {
            let (left, right) = (lhs.dimensions[lane], rhs.dimensions[lane])
            XCTAssertEqual(left.totals, right.totals, message, file: file, line: line)
            XCTAssertEqual(left.occupied, right.occupied, message, file: file, line: line)
            XCTAssertEqual(left.free, right.free, message, file: file, line: line)
            XCTAssertEqual(left.inverseTotals, right.inverseTotals, message, file: file, line: line)
            XCTAssertEqual(left.levels, right.levels, message, file: file, line: line)
        }
        XCTAssertEqual(Set(lhs.gpuModels.keys), Set(rhs.gpuModels.keys), message, file: file, line: line)
        for (model, left) in lhs.gpuModels {
            XCTAssertEqual(left.totals, rhs.gpuModels[model]?.totals, message, file: file, line: line)
            XCTAssertEqual(left.levels, rhs.gpuModels[model]?.levels, message, file: file, line: line)
        }
        XCTAssertEqual(lhs.nodeCPU, rhs.nodeCPU, message, file: file, line: line)
        XCTAssertEqual(lhs.forecastLift, rhs.forecastLift, message, file: file, line: line)
        XCTAssertEqual(lhs.pricePerCPUHour, rhs.pricePerCPUHour, message, file: file, line: line)
        XCTAssertEqual(lhs.meanLevel, rhs.meanLevel, message, file: file, line: line)
        XCTAssertEqual(lhs.meanLevelWithForecast, rhs.meanLevelWithForecast, message, file: file, line: line)
    }

    /// The batch pass gives each domain's own capacity, for rejected domains too, whose node
    /// may not fit the replica at all.
    func testBatchCapacitiesEqualSingleOnes() {
        var generator = SeededGenerator(seed: 23)
        var positive = 0
        var zero = 0
        for round in 0..<40 {
            let fleet = randomFleet(&generator, count: 30)
            let task = randomTask(&generator, index: round)
            var configuration = SchedulerConfiguration()
            configuration.scheduleAgainstForecast = round % 2 == 0
            let context = FilterContext(task: task, fleet: fleet, configuration: configuration)
            let view = TaskColumns(context: context, fleet: fleet.columns)
            let indices = Array(fleet.columns.domains.indices.shuffled(using: &generator))
            let batch = view.capacities(of: indices)
            XCTAssertEqual(batch.count, indices.count)
            for (position, index) in indices.enumerated() {
                XCTAssertEqual(batch[position], view.capacity(index), "round \(round) domain \(index)")
                if batch[position] > 0 { positive += 1 } else { zero += 1 }
            }
        }
        XCTAssertGreaterThan(positive, 100)
        XCTAssertGreaterThan(zero, 50)
    }

    /// The same plugins in a registry that is not the standard one take the plugin path for
    /// every domain, and the decisions must not depend on which path ran.
    func testDecisionsMatchThePluginPath() {
        var generator = SeededGenerator(seed: 12)
        var plugins = SchedulerConfiguration()
        plugins.filters = FilterRegistry(plugins: FilterRegistry.standard.plugins)
        plugins.explainedRejections = 1_000
        var columns = SchedulerConfiguration()
        columns.explainedRejections = 1_000
        for round in 0..<80 {
            let fleet = randomFleet(&generator, count: 30)
            let task = randomTask(&generator, index: round)
            let fast = Scheduler.decide(task, fleet: fleet, configuration: columns)
            let slow = Scheduler.decide(task, fleet: fleet, configuration: plugins)
            XCTAssertEqual(fast.outcome, slow.outcome, "round \(round)")
            XCTAssertEqual(fast.assignments, slow.assignments, "round \(round)")
            XCTAssertEqual(fast.pendingReplicas, slow.pendingReplicas, "round \(round)")
            XCTAssertEqual(fast.filterSummary, slow.filterSummary, "round \(round)")
            XCTAssertEqual(fast.scores, slow.scores, "round \(round)")
            XCTAssertEqual(fast.reasons, slow.reasons, "round \(round)")
        }
    }

    func testTopMatchesAFullSort() {
        var generator = SeededGenerator(seed: 13)
        for round in 0..<50 {
            let fleet = randomFleet(&generator, count: 60)
            let count = fleet.columns.domains.count
            // Few distinct totals, so that ties and their tie-break decide much of the order.
            let totals = (0..<count).map { _ in Double(Int.random(in: 0...5, using: &generator)) / 5 }
            let ranking = CandidateRanking(taskID: "task-\(round)", fleet: fleet.columns,
                                           indices: Array(0..<count), totals: totals)
            let sorted = ranking.all()
            for size in [0, 1, 7, 60, 100] {
                XCTAssertEqual(ranking.top(size), Array(sorted.prefix(size)), "round \(round) top \(size)")
            }
            let even = { (position: Int) in position % 2 == 0 }
            XCTAssertEqual(ranking.top(9, where: even), Array(sorted.filter(even).prefix(9)), "round \(round)")
        }
    }

    func testTieBreakFromPrefixEqualsTheWholeHash() {
        for (task, domain) in [("t", "d"), ("", "x"), ("task-42", "cluster-eu-1"), ("ü", "é")] {
            XCTAssertEqual(StableHash.tieBreaker(prefix: StableHash.prefix(taskID: task), domain: domain),
                           StableHash.tieBreaker(taskID: task, domain: domain))
        }
        // FNV-1a of "a", a zero byte and "b", computed by hand from the published constants.
        var expected: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in [UInt8(ascii: "a"), 0, UInt8(ascii: "b")] { expected = (expected ^ UInt64(byte)) &* 0x100_0000_01b3 }
        XCTAssertEqual(StableHash.tieBreaker(taskID: "a", domain: "b"), expected)
    }

    private static func code(of rejection: StandardRejection) -> FilterFailure.Code {
        switch rejection {
        case .health: return .unhealthy
        case .capability: return .missingCapability
        case .affinity: return .affinityMismatch
        case .taint: return .untoleratedTaint
        case .gpuModel: return .gpuModelUnavailable
        case .resources: return .insufficientResources
        case .nodeFit: return .noNodeFits
        case .waterLevel: return .waterLevelExceeded
        }
    }
}
