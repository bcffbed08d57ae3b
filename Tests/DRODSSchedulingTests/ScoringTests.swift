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

    func testBalanceFollowsDistanceFromMean() throws {
        // Three one-core replicas on 100 cores: each domain takes one, so its CPU level, the
        // bottleneck, rises by 0.01. With the default tolerance of 0.1 the scale is
        // 2 × 0.1 × mean.
        let cases: [(used: [Double], expected: [Double])] = [
            // After-levels 0.20, 0.21, 0.22 around a mean of 0.21.
            ([0.19, 0.20, 0.21], [0.5 + 0.01 / 0.042, 0.5, 0.5 - 0.01 / 0.042]),
            // After-levels 0.10, 0.20, 0.30: both outer domains are past the tolerance.
            ([0.09, 0.19, 0.29], [1, 0.5, 0]),
            // Level domains all score one half, whatever their load.
            ([0.5, 0.5, 0.5], [0.5, 0.5, 0.5]),
        ]
        for (used, expected) in cases {
            let domains = used.enumerated().map { makeDomain("d\($0.offset)", usedFraction: $0.element) }
            let result = scores(domains, task: makeTask(replicas: 3))
            for (index, value) in expected.enumerated() {
                XCTAssertEqual(try XCTUnwrap(result["d\(index)"]?[.balance]), value, accuracy: 1e-9,
                               "used \(used), domain d\(index)")
            }
        }
    }

    func testBalanceIsRelativeToMeanLevel() throws {
        // The idle fleet's after-levels (0.020, 0.021, 0.022) are the busy fleet's
        // (0.20, 0.21, 0.22) divided by 10, so both score alike.
        let idle = scores([0.010, 0.011, 0.012].enumerated().map { makeDomain("d\($0.offset)", usedFraction: $0.element) },
                          task: makeTask(replicas: 3))
        let busy = scores([0.19, 0.20, 0.21].enumerated().map { makeDomain("d\($0.offset)", usedFraction: $0.element) },
                          task: makeTask(replicas: 3))
        for name in ["d0", "d1", "d2"] {
            XCTAssertEqual(try XCTUnwrap(idle[name]?[.balance]), try XCTUnwrap(busy[name]?[.balance]),
                           accuracy: 1e-9, name)
        }
        XCTAssertGreaterThan(try XCTUnwrap(idle["d0"]?[.balance]), 0.7)
    }

    func testBalanceOfEmptyFleet() throws {
        // Every candidate rises by the same amount from 0, so all sit at the mean.
        let result = scores([makeDomain("a"), makeDomain("b")], task: makeTask(replicas: 2))
        XCTAssertEqual(try XCTUnwrap(result["a"]?[.balance]), 0.5, accuracy: 1e-9)
        XCTAssertEqual(try XCTUnwrap(result["b"]?[.balance]), 0.5, accuracy: 1e-9)
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

    func testCostIsCheapestPriceOverPrice() throws {
        let cases: [(prices: [Double], expected: [Double])] = [
            ([0.02, 0.04, 0.06], [1, 0.5, 1.0 / 3]),
            // A region 10 % dearer scores 1/1.1, not 0.
            ([0.04, 0.044], [1, 1 / 1.1]),
            ([0, 0], [1, 1]),
            ([0, 0.05], [1, 0]),
        ]
        for (prices, expected) in cases {
            let domains = prices.enumerated().map { index, price in
                makeDomain("d\(index)", pricePerCPUHour: price, pricePerGiBHour: price / 10)
            }
            let result = scores(domains, task: makeTask(replicas: 1))
            for (index, value) in expected.enumerated() {
                XCTAssertEqual(try XCTUnwrap(result["d\(index)"]?[.cost]), value, accuracy: 1e-9,
                               "prices \(prices), domain d\(index)")
            }
        }
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

extension ScoringTests {
    func testDomainScoreFactorsRoundTrip() {
        var score = DomainScore(domain: "a", factors: [.balance: 0.25, .cost: 0.5], total: 0.3)
        XCTAssertEqual(score.factors[.balance], 0.25)
        XCTAssertEqual(score.factors[.cost], 0.5)
        XCTAssertEqual(score.factors[.network], 0, "a factor left out counts as 0")
        XCTAssertEqual(Set(score.factors.keys), Set(ScoreFactor.allCases))

        score.factors[.network] = 0.75
        XCTAssertEqual(score.factors[.network], 0.75)
        XCTAssertEqual(score.factors[.balance], 0.25)
    }

    /// The scheduler scores candidates through an index path; its scores must equal the public
    /// `Scorer.score` over the same candidates.
    func testDecisionScoresMatchScorer() {
        var generator = SeededGenerator(seed: 3)
        for round in 0..<20 {
            let domains = (0..<8).map { index in
                makeDomain("d\(index)", usedFraction: Double.random(in: 0...0.6, using: &generator),
                           region: ["r1", "r2"].randomElement(using: &generator),
                           pricePerCPUHour: Double.random(in: 0.01...0.1, using: &generator),
                           latencyMs: index == 0 ? ["r1": 70] : [:])
            }
            var task = makeTask(replicas: Int.random(in: 1...12, using: &generator))
            task.locality = LocalityHints(userRegions: ["r1"], dataRegion: "r2")
            let fleet = FleetSnapshot(domains: domains, regionLatencyMs: ["r1": ["r2": 40]])
            let decision = Scheduler.decide(task, fleet: fleet)
            let context = FilterContext(task: task, fleet: fleet, configuration: SchedulerConfiguration())
            let expected = Scorer(context: context).score(domains, weights: decision.weights)
            XCTAssertEqual(decision.scores.count, expected.count, "round \(round)")
            for score in expected {
                XCTAssertEqual(decision.scores.first { $0.domain == score.domain }, score,
                               "round \(round) \(score.domain)")
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

    func testNormalisingClampsNegativesAndSplitsZeroEvenly() {
        let mixed = FactorWeights([.availability: 2, .cost: -1, .network: 2]).normalised()
        XCTAssertEqual(mixed[.availability], 0.5)
        XCTAssertEqual(mixed[.network], 0.5)
        XCTAssertEqual(mixed[.cost], 0)
        XCTAssertEqual(mixed[.balance], 0)
        let empty = FactorWeights([:]).normalised()
        XCTAssertEqual(Set(empty.values.keys), Set(ScoreFactor.allCases))
        for factor in ScoreFactor.allCases {
            XCTAssertEqual(empty[factor], 1 / Double(ScoreFactor.allCases.count), "\(factor)")
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
