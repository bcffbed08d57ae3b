import DRODSDomain
import DRODSScheduling
import XCTest

final class ScoringTests: XCTestCase {
    private func scores(_ domains: [DomainSnapshot], task: SchedulingTask,
                        fleet: FleetSnapshot? = nil) -> [String: [ScoreFactor: Double]] {
        let fleet = fleet ?? FleetSnapshot(domains: domains)
        let context = FilterContext(task: task, fleet: fleet, configuration: SchedulerConfiguration())
        let result = Scorer(context: context).score(domains, weights: .standard.normalised())
        return Dictionary(uniqueKeysWithValues: result.map { ($0.domain, $0.factors) })
    }

    func testAvailabilityIsOneMinusLevelAfter() throws {
        let result = scores([makeDomain("a", usedFraction: 0.2)], task: makeTask(replicas: 10))
        // 20 cores used plus 10 one-core replicas on 100 cores.
        XCTAssertEqual(try XCTUnwrap(result["a"]?[.availability]), 0.7, accuracy: 1e-9)
    }

    func testBalancePrefersEmptierDomain() throws {
        let result = scores([makeDomain("low", usedFraction: 0.1), makeDomain("high", usedFraction: 0.7)],
                            task: makeTask(replicas: 4))
        XCTAssertEqual(try XCTUnwrap(result["low"]?[.balance]), 1, accuracy: 1e-9)
        XCTAssertEqual(try XCTUnwrap(result["high"]?[.balance]), 0, accuracy: 1e-9)
    }

    func testNetworkFallsWithLatency() throws {
        var task = makeTask(replicas: 1)
        task.locality = LocalityHints(userRegions: ["eu-west-1"])
        let fleet = FleetSnapshot(
            domains: [makeDomain("near", region: "eu-west-1"), makeDomain("mid", region: "eu-central-1"),
                      makeDomain("far", region: "ap-southeast-2"), makeDomain("unknown", region: "mars-1")],
            regionLatencyMs: ["eu-central-1": ["eu-west-1": 30], "ap-southeast-2": ["eu-west-1": 450]])
        let result = scores(fleet.domains, task: task, fleet: fleet)
        XCTAssertEqual(try XCTUnwrap(result["near"]?[.network]), 1, accuracy: 1e-9)
        XCTAssertEqual(try XCTUnwrap(result["mid"]?[.network]), 0.9, accuracy: 1e-9)
        XCTAssertEqual(try XCTUnwrap(result["far"]?[.network]), 0, accuracy: 1e-9)
        XCTAssertEqual(try XCTUnwrap(result["unknown"]?[.network]), 0, accuracy: 1e-9)
    }

    func testDomainLatencyOverridesMatrix() throws {
        var task = makeTask(replicas: 1)
        task.locality = LocalityHints(dataRegion: "eu-west-1")
        let fleet = FleetSnapshot(domains: [makeDomain("a", region: "us-east-1", latencyMs: ["eu-west-1": 60])],
                                  regionLatencyMs: ["us-east-1": ["eu-west-1": 150]])
        let result = scores(fleet.domains, task: task, fleet: fleet)
        XCTAssertEqual(try XCTUnwrap(result["a"]?[.dataLocality]), 0.8, accuracy: 1e-9)
    }

    func testDataLocalityIsOneInDataRegion() throws {
        var task = makeTask(replicas: 1)
        task.locality = LocalityHints(dataRegion: "us-east-1")
        let fleet = FleetSnapshot(domains: [makeDomain("home", region: "us-east-1"),
                                            makeDomain("away", region: "us-west-2")],
                                  regionLatencyMs: ["us-east-1": ["us-west-2": 75]])
        let result = scores(fleet.domains, task: task, fleet: fleet)
        XCTAssertEqual(try XCTUnwrap(result["home"]?[.dataLocality]), 1, accuracy: 1e-9)
        XCTAssertEqual(try XCTUnwrap(result["away"]?[.dataLocality]), 0.75, accuracy: 1e-9)
    }

    func testCostRanksCheapestFirst() throws {
        let result = scores([makeDomain("cheap", pricePerCPUHour: 0.02, pricePerGiBHour: 0.002),
                             makeDomain("middle", pricePerCPUHour: 0.04, pricePerGiBHour: 0.004),
                             makeDomain("dear", pricePerCPUHour: 0.06, pricePerGiBHour: 0.006)],
                            task: makeTask(replicas: 1))
        XCTAssertEqual(try XCTUnwrap(result["cheap"]?[.cost]), 1, accuracy: 1e-9)
        XCTAssertEqual(try XCTUnwrap(result["middle"]?[.cost]), 0.5, accuracy: 1e-9)
        XCTAssertEqual(try XCTUnwrap(result["dear"]?[.cost]), 0, accuracy: 1e-9)
    }

    func testPreferenceFollowsStaticWeightsAndSoftTaints() throws {
        let soft = ClusterTaint(key: "spot", effect: .preferNoSchedule)
        let task = makeTask(replicas: 1, division: .staticWeights(["a": 4, "b": 2]))
        let result = scores([makeDomain("a", taints: [soft]), makeDomain("b"), makeDomain("c")], task: task)
        XCTAssertEqual(try XCTUnwrap(result["a"]?[.preference]), 0.5, accuracy: 1e-9)
        XCTAssertEqual(try XCTUnwrap(result["b"]?[.preference]), 0.5, accuracy: 1e-9)
        XCTAssertEqual(try XCTUnwrap(result["c"]?[.preference]), 0, accuracy: 1e-9)

        var tolerant = makeTask(replicas: 1)
        tolerant.constraints.tolerations = [Toleration(key: "spot", operator: .exists)]
        XCTAssertEqual(try XCTUnwrap(scores([makeDomain("a", taints: [soft])], task: tolerant)["a"]?[.preference]),
                       1, accuracy: 1e-9)
    }

    func testEveryFactorStaysInUnitRange() {
        var generator = SeededGenerator(seed: 7)
        for round in 0..<50 {
            let domains = (0..<5).map { index in
                makeDomain("d\(index)", usedFraction: Double.random(in: 0...0.8, using: &generator),
                           region: ["r1", "r2", "r3"].randomElement(using: &generator),
                           pricePerCPUHour: Double.random(in: 0...1, using: &generator))
            }
            var task = makeTask(replicas: Int.random(in: 1...40, using: &generator))
            task.locality = LocalityHints(userRegions: ["r1"], dataRegion: "r2")
            let fleet = FleetSnapshot(domains: domains, regionLatencyMs: ["r1": ["r2": 40, "r3": 500]])
            for (domain, factors) in scores(domains, task: task, fleet: fleet) {
                for factor in ScoreFactor.allCases {
                    let value = factors[factor] ?? -1
                    XCTAssertTrue((0...1).contains(value), "round \(round) \(domain) \(factor) = \(value)")
                }
            }
        }
    }
}

final class WeightAdaptationTests: XCTestCase {
    private let adaptation = WeightAdaptation()

    func testWeightsSumToOne() {
        for load in stride(from: 0.0, through: 1.0, by: 0.1) {
            for priority in [0, 500, 1000] {
                for surge in [false, true] {
                    let weights = adaptation.weights(fleetLoad: load, priority: priority, trafficSurge: surge)
                    let sum = ScoreFactor.allCases.reduce(0) { $0 + weights[$1] }
                    XCTAssertEqual(sum, 1, accuracy: 1e-9, "load \(load) priority \(priority) surge \(surge)")
                }
            }
        }
    }

    func testPivotLoadKeepsBaseWeights() {
        let weights = adaptation.weights(fleetLoad: 0.5, priority: 0, trafficSurge: false)
        for factor in ScoreFactor.allCases {
            XCTAssertEqual(weights[factor], FactorWeights.standard.normalised()[factor], accuracy: 1e-9, "\(factor)")
        }
    }

    func testHighLoadFavoursBalanceAndAvailability() {
        let low = adaptation.weights(fleetLoad: 0.1, priority: 0, trafficSurge: false)
        let high = adaptation.weights(fleetLoad: 0.9, priority: 0, trafficSurge: false)
        XCTAssertGreaterThan(high[.balance], low[.balance])
        XCTAssertGreaterThan(high[.availability], low[.availability])
        XCTAssertLessThan(high[.cost], low[.cost])
    }

    func testSurgeFavoursNetwork() {
        let calm = adaptation.weights(fleetLoad: 0.5, priority: 0, trafficSurge: false)
        let surge = adaptation.weights(fleetLoad: 0.5, priority: 0, trafficSurge: true)
        XCTAssertGreaterThan(surge[.network], calm[.network])
    }

    func testPriorityMovesWeightFromCostToAvailability() {
        let routine = adaptation.weights(fleetLoad: 0.5, priority: 0, trafficSurge: false)
        let urgent = adaptation.weights(fleetLoad: 0.5, priority: 1000, trafficSurge: false)
        XCTAssertGreaterThan(urgent[.availability], routine[.availability])
        XCTAssertLessThan(urgent[.cost], routine[.cost])
    }

    func testDecisionRecordsWeightsAndFactors() {
        let fleet = FleetSnapshot(domains: [makeDomain("a", usedFraction: 0.8), makeDomain("b", usedFraction: 0.7)])
        let decision = Scheduler.decide(makeTask(replicas: 2), fleet: fleet)
        XCTAssertEqual(decision.fleetLoad, 0.75, accuracy: 1e-9)
        XCTAssertEqual(decision.weights, adaptation.weights(fleetLoad: 0.75, priority: 0, trafficSurge: false))
        XCTAssertEqual(decision.scores.count, 2)
        for score in decision.scores {
            XCTAssertEqual(Set(score.factors.keys), Set(ScoreFactor.allCases))
            let recomputed = ScoreFactor.allCases.reduce(0) { $0 + decision.weights[$1] * (score.factors[$1] ?? 0) }
            XCTAssertEqual(score.total, recomputed, accuracy: 1e-12)
        }
    }
}
