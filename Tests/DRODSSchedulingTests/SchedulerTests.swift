import DRODSDomain
import DRODSScheduling
import XCTest

final class SchedulerTests: XCTestCase {
    func testDividesAcrossPassingDomains() {
        let fleet = FleetSnapshot(domains: [makeDomain("a"), makeDomain("b"), makeDomain("down", health: .notReady)])
        let decision = Scheduler.decide(makeTask(replicas: 6), fleet: fleet)
        XCTAssertEqual(decision.outcome, .scheduled)
        XCTAssertEqual(decision.assignments, ["a": 3, "b": 3])
        XCTAssertEqual(decision.pendingReplicas, 0)
        XCTAssertEqual(decision.filterSummary.text, "1 domain: domain notReady")
        XCTAssertEqual(decision.reservations.map(\.replicas), [3, 3])
        XCTAssertEqual(decision.reservations.first?.resources.cpuMillis, 3000)
        XCTAssertEqual(decision.moves, [ReplicaMove(from: nil, to: "a", replicas: 3),
                                        ReplicaMove(from: nil, to: "b", replicas: 3)])
    }

    /// Two tasks decided back to back saw the same free room, so together they filled a domain
    /// past its limit. Recording the first decision's reservations prevents that.
    func testReservationsPreventOvercommitAcrossTasks() throws {
        let fleet = FleetSnapshot(domains: [makeDomain("only", cores: 100, memoryGiB: 1000)])
        let first = makeTask("first", replicas: 50)
        let second = makeTask("second", replicas: 50)

        let firstDecision = Scheduler.decide(first, fleet: fleet)
        XCTAssertEqual(firstDecision.assignments, ["only": 50])

        let withoutReservations = Scheduler.decide(second, fleet: fleet)
        XCTAssertEqual(withoutReservations.assignments, ["only": 50], "the fault: both tasks get 50 of 85 cores")

        let reservedFleet = fleet.reserving(firstDecision.reservations)
        let secondDecision = Scheduler.decide(second, fleet: reservedFleet)
        XCTAssertEqual(secondDecision.outcome, .unschedulable)
        XCTAssertEqual(secondDecision.assignments, [:])

        var partial = second
        partial.allowPartialPlacement = true
        let partialDecision = Scheduler.decide(partial, fleet: reservedFleet)
        XCTAssertEqual(partialDecision.assignments, ["only": 35])
        let domain = try XCTUnwrap(reservedFleet.reserving(partialDecision.reservations).domain(named: "only"))
        XCTAssertLessThanOrEqual(domain.waterLevel(), 0.85 + 1e-9)
    }

    /// In a nearly idle fleet the weights favour cost, yet a domain above the mean should not
    /// keep winning on a small price advantage, while a large one still counts.
    func testIdleFleetWeighsBalanceAgainstPrice() {
        let cases: [(cheapUsed: Double, dearUsed: Double, dearPriceFactor: Double, expected: String)] = [
            (0.03, 0.01, 1.1, "dear"),
            (0.02, 0.02, 1.1, "cheap"),
            (0.03, 0.01, 3, "cheap"),
        ]
        for (cheapUsed, dearUsed, factor, expected) in cases {
            let fleet = FleetSnapshot(domains: [
                makeDomain("cheap", usedFraction: cheapUsed, pricePerCPUHour: 0.04, pricePerGiBHour: 0.004),
                makeDomain("dear", usedFraction: dearUsed, pricePerCPUHour: 0.04 * factor,
                           pricePerGiBHour: 0.004 * factor),
            ])
            let decision = Scheduler.decide(makeTask(replicas: 1), fleet: fleet)
            XCTAssertEqual(decision.assignments, [expected: 1],
                           "cheap at \(cheapUsed), dear at \(dearUsed) and \(factor) times the price")
        }
    }

    func testFragmentedDomainRejectsLargeReplica() {
        let nodeFree = NodeResources(cpuMillis: 8000, memoryBytes: 64 * gibibyte)
        let fragmented = makeDomain("fragmented", cores: 80, memoryGiB: 640, largestFreeNode: nodeFree)
        let roomy = makeDomain("roomy", cores: 80, memoryGiB: 640)
        let decision = Scheduler.decide(makeTask(replicas: 2, cores: 12),
                                        fleet: FleetSnapshot(domains: [fragmented, roomy]),
                                        configuration: SchedulerConfiguration(explainedRejections: 5))
        XCTAssertEqual(decision.assignments, ["roomy": 2])
        XCTAssertEqual(decision.filterSummary.failures["fragmented"]?.code, .noNodeFits)
        // Without details the rejection is still counted.
        XCTAssertEqual(Scheduler.decide(makeTask(replicas: 2, cores: 12), fleet: FleetSnapshot(domains: [fragmented, roomy]))
            .filterSummary.countsByReason, ["no node fits one replica": 1])

        let nowhere = Scheduler.decide(makeTask(replicas: 1, cores: 12), fleet: FleetSnapshot(domains: [fragmented]))
        XCTAssertEqual(nowhere.outcome, .unschedulable)
        XCTAssertEqual(nowhere.filterSummary.text, "1 domain: no node fits one replica")
    }

    func testPartialPlacementLeavesRestPending() {
        // Each domain has room for 85 − 80 = 5 one-core replicas below the 0.85 limit.
        let fleet = FleetSnapshot(domains: [makeDomain("a", usedFraction: 0.8), makeDomain("b", usedFraction: 0.8)])
        let allowed = Scheduler.decide(makeTask(replicas: 14, allowPartialPlacement: true), fleet: fleet)
        XCTAssertEqual(allowed.outcome, .partial)
        XCTAssertEqual(allowed.assignments, ["a": 5, "b": 5])
        XCTAssertEqual(allowed.pendingReplicas, 4)
        XCTAssertEqual(allowed.reservations.map(\.replicas).reduce(0, +), 10)

        let allOrNothing = Scheduler.decide(makeTask(replicas: 14), fleet: fleet)
        XCTAssertEqual(allOrNothing.outcome, .unschedulable)
        XCTAssertEqual(allOrNothing.assignments, [:])
        XCTAssertEqual(allOrNothing.reservations, [])
        XCTAssertEqual(allOrNothing.pendingReplicas, 14)
        XCTAssertEqual(allOrNothing.reasons, ["4 of 14 replicas do not fit"])
    }

    /// A failed domain's replicas used to be dropped to zero when no other domain had room.
    func testFailedDomainKeepsReplicasWhenNothingElseFits() {
        let fleet = FleetSnapshot(domains: [makeDomain("failed", health: .notReady),
                                            makeDomain("full", usedFraction: 0.84)])
        for allowPartial in [false, true] {
            let task = makeTask(replicas: 6, cores: 2, existing: ["failed": 6], allowPartialPlacement: allowPartial)
            let decision = Scheduler.decide(task, fleet: fleet)
            XCTAssertEqual(decision.assignments, ["failed": 6], "partial \(allowPartial)")
            XCTAssertEqual(decision.retained, ["failed": 6], "partial \(allowPartial)")
            XCTAssertEqual(decision.pendingReplicas, 6, "partial \(allowPartial)")
            XCTAssertEqual(decision.movedReplicas, 0, "partial \(allowPartial)")
        }
    }

    func testFailedDomainMovesWhatFitsWhenPartialAllowed() {
        let fleet = FleetSnapshot(domains: [makeDomain("failed", health: .notReady),
                                            makeDomain("small", usedFraction: 0.8)])
        let task = makeTask(replicas: 8, existing: ["failed": 8], allowPartialPlacement: true)
        let decision = Scheduler.decide(task, fleet: fleet)
        XCTAssertEqual(decision.outcome, .partial)
        XCTAssertEqual(decision.assignments, ["small": 5, "failed": 3])
        XCTAssertEqual(decision.retained, ["failed": 3])
        XCTAssertEqual(decision.pendingReplicas, 3)
        XCTAssertEqual(decision.moves, [ReplicaMove(from: "failed", to: "small", replicas: 5)])
    }

    func testReschedulingMovesOnlyDisplacedReplicas() {
        let fleet = FleetSnapshot(domains: [makeDomain("a"), makeDomain("b"),
                                            makeDomain("c", health: .notReady), makeDomain("d")])
        let task = makeTask(replicas: 12, existing: ["a": 4, "b": 4, "c": 4])
        let decision = Scheduler.decide(task, fleet: fleet)
        XCTAssertEqual(decision.outcome, .scheduled)
        XCTAssertEqual(decision.movedReplicas, 4)
        XCTAssertEqual(decision.assignments["a"], 4)
        XCTAssertEqual(decision.assignments["b"], 4)
        XCTAssertNil(decision.assignments["c"])
        XCTAssertEqual(decision.assignments.values.reduce(0, +), 12)
        XCTAssertEqual(decision.reservations.map(\.replicas).reduce(0, +), 4)
    }

    func testReschedulingWithoutChangeMovesNothing() {
        let fleet = FleetSnapshot(domains: [makeDomain("a", usedFraction: 0.1), makeDomain("b", usedFraction: 0.6)])
        let task = makeTask(replicas: 10, existing: ["a": 3, "b": 7])
        let decision = Scheduler.decide(task, fleet: fleet)
        XCTAssertEqual(decision.assignments, ["a": 3, "b": 7])
        XCTAssertEqual(decision.moves, [])
        XCTAssertEqual(decision.reservations, [])
    }

    func testReschedulingScaleUpAddsWithoutMoving() {
        let fleet = FleetSnapshot(domains: [makeDomain("a"), makeDomain("b")])
        let decision = Scheduler.decide(makeTask(replicas: 10, existing: ["a": 5, "b": 1]), fleet: fleet)
        XCTAssertEqual(decision.movedReplicas, 0)
        XCTAssertGreaterThanOrEqual(decision.assignments["a"] ?? 0, 5)
        XCTAssertGreaterThanOrEqual(decision.assignments["b"] ?? 0, 1)
        XCTAssertEqual(decision.assignments.values.reduce(0, +), 10)
    }

    func testTaintEffectsOnRunningReplicas() {
        let noSchedule = makeDomain("a", taints: [ClusterTaint(key: "drain", effect: .noSchedule)])
        let noExecute = makeDomain("a", taints: [ClusterTaint(key: "drain", effect: .noExecute)])
        let task = makeTask(replicas: 4, existing: ["a": 4])
        XCTAssertEqual(Scheduler.decide(task, fleet: FleetSnapshot(domains: [noSchedule, makeDomain("b")])).assignments,
                       ["a": 4])
        XCTAssertEqual(Scheduler.decide(task, fleet: FleetSnapshot(domains: [noExecute, makeDomain("b")])).assignments,
                       ["b": 4])
    }

    func testShrunkDomainMovesItsOverflow() {
        // The domain lost nodes: 110 cores used of 100, so 10 one-core replicas must leave.
        var shrunk = makeDomain("shrunk")
        shrunk.used = ResourceVector(cpuMillis: 110_000)
        let decision = Scheduler.decide(makeTask(replicas: 20, existing: ["shrunk": 20]),
                                        fleet: FleetSnapshot(domains: [shrunk, makeDomain("b")]))
        XCTAssertEqual(decision.assignments, ["shrunk": 10, "b": 10])
        XCTAssertEqual(decision.movedReplicas, 10)
    }

    func testGPUTaskGoesToMatchingModel() {
        let fleet = FleetSnapshot(domains: [makeDomain("t4", gpus: 8, gpuModel: "nvidia-t4"),
                                            makeDomain("a100", gpus: 8, gpuModel: "nvidia-a100"),
                                            makeDomain("cpu-only")])
        let decision = Scheduler.decide(makeTask(replicas: 2, gpus: 2, gpuModel: "nvidia-a100"), fleet: fleet)
        XCTAssertEqual(decision.assignments, ["a100": 2])
        XCTAssertEqual(decision.reservations.first?.resources.gpuByModel, ["nvidia-a100": 4])
        XCTAssertEqual(decision.filterSummary.text, "1 domain: missing capability gpu; 1 domain: no nvidia-a100 gpu")
    }

    func testInvalidTaskIsUnschedulableWithReasons() {
        var task = makeTask(replicas: 1)
        task.waterLevelLimit = 1.5
        task.priority = 2000
        let decision = Scheduler.decide(task, fleet: FleetSnapshot(domains: [makeDomain("a")]))
        XCTAssertEqual(decision.outcome, .unschedulable)
        XCTAssertEqual(decision.reasons.count, 2)
    }

    func testOptionsMapToDivisionModes() {
        let requirements = ResourceRequirements(cpuMillis: 1000, memoryBytes: gibibyte)
        let cases: [(ReplicaScheduling, DivisionMode)] = [
            (ReplicaScheduling(type: .duplicated), .duplicated),
            (ReplicaScheduling(divisionPreference: .weighted, weights: ["a": 2]), .staticWeights(["a": 2])),
            (ReplicaScheduling(divisionPreference: .dynamic), .dynamicWeights),
            (ReplicaScheduling(divisionPreference: .aggregated), .aggregated),
        ]
        for (replicaScheduling, expected) in cases {
            let options = SchedulingOptions(replicaScheduling: replicaScheduling, waterLevelLimit: 0.7,
                                            allowPartialPlacement: true,
                                            spreadConstraints: SpreadConstraints(minClusters: 1, maxClusters: 2))
            let task = SchedulingTask(id: "t", replicas: 3, requirements: requirements, gpuModel: nil, priority: 5,
                                      options: options, targetClusters: ["a", "b"])
            XCTAssertEqual(task.division, expected)
            XCTAssertEqual(task.waterLevelLimit, 0.7)
            XCTAssertEqual(task.constraints.domainNames, ["a", "b"])
            XCTAssertEqual(task.maxDomains, 2)
            XCTAssertTrue(task.allowPartialPlacement)
        }
    }

    // MARK: - Properties

    func testDecisionProperties() {
        var generator = SeededGenerator(seed: 31337)
        let modes: [DivisionMode] = [.dynamicWeights, .aggregated, .duplicated,
                                     .staticWeights(["d0": 1, "d1": 2, "d2": 3, "d3": 4, "d4": 5])]
        var outcomes: [Decision.Outcome: Int] = [:]
        for round in 0..<150 {
            let domains = (0..<Int.random(in: 1...5, using: &generator)).map { index in
                makeDomain("d\(index)", cores: Int64.random(in: 8...64, using: &generator),
                           usedFraction: Double.random(in: 0...0.9, using: &generator),
                           health: Int.random(in: 0..<6, using: &generator) == 0 ? .notReady : .ready)
            }
            let fleet = FleetSnapshot(domains: domains)
            for mode in modes {
                let task = makeTask("task-\(round)", replicas: Int.random(in: 1...30, using: &generator),
                                    cores: Int64.random(in: 1...2, using: &generator), division: mode,
                                    allowPartialPlacement: Bool.random(using: &generator))
                let decision = Scheduler.decide(task, fleet: fleet)
                XCTAssertEqual(decision, Scheduler.decide(task, fleet: fleet), "round \(round) \(mode) not deterministic")

                let replica = task.replicaResources
                for (name, count) in decision.assignments {
                    let domain = fleet.domain(named: name)!
                    let cap = domain.replicaCapacity(for: replica, gpuModel: nil, limit: task.waterLevelLimit)
                    XCTAssertLessThanOrEqual(count, cap, "round \(round) \(mode) \(name) above its cap")
                }

                let placed = decision.assignments.values.reduce(0, +)
                outcomes[decision.outcome, default: 0] += 1
                switch decision.outcome {
                case .scheduled:
                    if mode == .duplicated {
                        XCTAssertTrue(decision.assignments.values.allSatisfy { $0 == task.replicas }, "round \(round)")
                    } else {
                        XCTAssertEqual(placed, task.replicas, "round \(round) \(mode)")
                    }
                case .partial:
                    XCTAssertTrue(task.allowPartialPlacement, "round \(round) \(mode)")
                    XCTAssertGreaterThan(decision.pendingReplicas, 0, "round \(round) \(mode)")
                case .unschedulable:
                    XCTAssertEqual(decision.assignments, [:], "round \(round) \(mode)")
                }

                // Feasible means the summed capacity of the passing domains covers the request.
                if mode == .dynamicWeights || mode == .aggregated {
                    let capacity = decision.scores.reduce(0) { total, score in
                        total + fleet.domain(named: score.domain)!.replicaCapacity(
                            for: replica, gpuModel: nil, limit: task.waterLevelLimit)
                    }
                    if capacity >= task.replicas {
                        XCTAssertEqual(decision.outcome, .scheduled, "round \(round) \(mode) feasible but not scheduled")
                    }
                }
            }
        }
        // The random fleets must exercise every outcome, or the checks above prove little.
        XCTAssertGreaterThan(outcomes[.scheduled] ?? 0, 50)
        XCTAssertGreaterThan(outcomes[.partial] ?? 0, 10)
        XCTAssertGreaterThan(outcomes[.unschedulable] ?? 0, 10)
    }
}
