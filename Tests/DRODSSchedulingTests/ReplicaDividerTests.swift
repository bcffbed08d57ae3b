import DRODSScheduling
import XCTest

final class ReplicaDividerTests: XCTestCase {
    private func candidate(_ domain: String, score: Double = 1, kept: Int = 0, capacity: Int = 100,
                           bounds: ReplicaBounds = ReplicaBounds()) -> DivisionCandidate {
        DivisionCandidate(domain: domain, score: score, kept: kept, additionalCapacity: capacity, bounds: bounds,
                          tieBreaker: StableHash.tieBreaker(taskID: "task-1", domain: domain))
    }

    /// The divider hands highest-averages only the few slots that can win when nothing is
    /// kept; the counts must equal those of a division over every slot.
    func testProportionalMatchesDivisionOverAllSlots() {
        var generator = SeededGenerator(seed: 11)
        for round in 0..<200 {
            let count = Int.random(in: 1...30, using: &generator)
            let replicas = Int.random(in: 0...40, using: &generator)
            // Few distinct scores, so ties and their tie-breaks are common.
            let candidates = (0..<count).map { index in
                candidate("d\(index)", score: Double(Int.random(in: 1...4, using: &generator)) / 4,
                          capacity: Int.random(in: 1...3, using: &generator))
            }
            let division = ReplicaDivider(replicas: replicas, mode: .dynamicWeights).divide(candidates)

            let slots = candidates.map { slot($0.domain, weight: $0.score, capacity: $0.capacity) }
            let expected = HighestAverages.add(replicas, to: slots)
            XCTAssertEqual(division.counts, seats(expected.slots).filter { $0.value > 0 }, "round \(round)")
            XCTAssertEqual(division.unplaced, expected.unplaced, "round \(round)")
        }
    }

    func testDuplicatedGivesEveryDomainAllReplicas() {
        let division = ReplicaDivider(replicas: 3, mode: .duplicated)
            .divide([candidate("a"), candidate("b"), candidate("small", capacity: 2)])
        XCTAssertEqual(division.counts, ["a": 3, "b": 3])
        XCTAssertEqual(division.unplaced, 0)
    }

    func testDuplicatedHonoursMaxDomainsByScore() {
        let division = ReplicaDivider(replicas: 2, mode: .duplicated, maxDomains: 1)
            .divide([candidate("a", score: 0.4), candidate("b", score: 0.9)])
        XCTAssertEqual(division.counts, ["b": 2])
    }

    func testDuplicatedWithoutRoomIsUnplaced() {
        let division = ReplicaDivider(replicas: 5, mode: .duplicated).divide([candidate("a", capacity: 3)])
        XCTAssertEqual(division.counts, ["a": 3])
        XCTAssertEqual(division.unplaced, 2)
        XCTAssertFalse(division.meetsMinDomains)
    }

    func testStaticWeightsDivideByWeight() {
        let division = ReplicaDivider(replicas: 9, mode: .staticWeights(["a": 2, "b": 1]))
            .divide([candidate("a"), candidate("b"), candidate("c")])
        XCTAssertEqual(division.counts, ["a": 6, "b": 3])
    }

    func testStaticWeightsOverflowToLighterDomainWhenCapped() {
        let division = ReplicaDivider(replicas: 9, mode: .staticWeights(["a": 2, "b": 1]))
            .divide([candidate("a", capacity: 4), candidate("b")])
        XCTAssertEqual(division.counts, ["a": 4, "b": 5])
    }

    func testDynamicWeightsFollowScores() {
        let division = ReplicaDivider(replicas: 10, mode: .dynamicWeights)
            .divide([candidate("a", score: 0.6), candidate("b", score: 0.3), candidate("c", score: 0.1)])
        XCTAssertEqual(division.counts, ["a": 6, "b": 3, "c": 1])
    }

    func testAggregatedUsesFewestDomains() {
        let division = ReplicaDivider(replicas: 7, mode: .aggregated)
            .divide([candidate("a", score: 0.5, capacity: 5), candidate("b", score: 0.9, capacity: 4),
                     candidate("c", score: 0.1, capacity: 10)])
        XCTAssertEqual(division.counts, ["b": 4, "a": 3])
    }

    func testPerDomainMinimumAndMaximum() {
        let division = ReplicaDivider(replicas: 10, mode: .dynamicWeights).divide([
            candidate("a", score: 0.9, bounds: ReplicaBounds(maximum: 3)),
            candidate("b", score: 0.1, bounds: ReplicaBounds(minimum: 4)),
            candidate("c", score: 0.5),
        ])
        XCTAssertEqual(division.counts["a"], 3)
        XCTAssertEqual(division.counts["b"], 4)
        XCTAssertEqual(division.counts["c"], 3)
    }

    func testMinimumAboveCapacityIsNoted() {
        let division = ReplicaDivider(replicas: 4, mode: .dynamicWeights)
            .divide([candidate("a", capacity: 1, bounds: ReplicaBounds(minimum: 3)), candidate("b")])
        XCTAssertEqual(division.counts, ["a": 1, "b": 3])
        XCTAssertEqual(division.notes, ["minimum of 3 replicas in a exceeds its capacity of 1"])
    }

    func testMinDomainsSpreadsOverTopDomains() {
        let division = ReplicaDivider(replicas: 3, mode: .aggregated, minDomains: 2)
            .divide([candidate("a", score: 0.9), candidate("b", score: 0.5), candidate("c", score: 0.1)])
        XCTAssertEqual(division.counts, ["a": 2, "b": 1])
        XCTAssertTrue(division.meetsMinDomains)
    }

    func testMinDomainsUnmetIsReported() {
        let division = ReplicaDivider(replicas: 3, mode: .dynamicWeights, minDomains: 3)
            .divide([candidate("a"), candidate("b")])
        XCTAssertFalse(division.meetsMinDomains)
        XCTAssertEqual(division.notes, ["spread needs at least 3 domains, only 2 can take replicas"])
    }

    func testMaxDomainsLimitsDividedModes() {
        let division = ReplicaDivider(replicas: 6, mode: .dynamicWeights, maxDomains: 2)
            .divide([candidate("a", score: 0.2), candidate("b", score: 0.9), candidate("c", score: 0.5)])
        XCTAssertEqual(Set(division.counts.keys), ["b", "c"])
        XCTAssertEqual(division.placed, 6)
    }

    func testInfeasibleDivisionReportsUnplaced() {
        let division = ReplicaDivider(replicas: 10, mode: .dynamicWeights)
            .divide([candidate("a", capacity: 3), candidate("b", capacity: 2)])
        XCTAssertEqual(division.counts, ["a": 3, "b": 2])
        XCTAssertEqual(division.unplaced, 5)
    }

    func testEqualScoresTieBreakDeterministically() {
        let candidates = [candidate("a", score: 0.5), candidate("b", score: 0.5)]
        let first = ReplicaDivider(replicas: 3, mode: .dynamicWeights).divide(candidates)
        let second = ReplicaDivider(replicas: 3, mode: .dynamicWeights).divide(candidates.reversed())
        XCTAssertEqual(first, second)
        XCTAssertEqual(first.counts.values.sorted(), [1, 2])
    }

    func testScaleDownRemovesLowestShares() {
        let divided = ReplicaDivider(replicas: 4, mode: .dynamicWeights)
            .divide([candidate("a", score: 0.5, kept: 6), candidate("b", score: 0.5, kept: 2)])
        XCTAssertEqual(divided.counts, ["a": 2, "b": 2])

        let aggregated = ReplicaDivider(replicas: 5, mode: .aggregated)
            .divide([candidate("a", score: 0.9, kept: 4), candidate("b", score: 0.1, kept: 4)])
        XCTAssertEqual(aggregated.counts, ["a": 4, "b": 1])
    }

    func testEveryModeRespectsCapsAndFills() {
        var generator = SeededGenerator(seed: 2024)
        let modes: [DivisionMode] = [.dynamicWeights, .aggregated, .staticWeights(["d0": 3, "d1": 1, "d2": 2, "d3": 5])]
        for round in 0..<300 {
            let candidates = (0..<Int.random(in: 1...5, using: &generator)).map { index in
                candidate("d\(index)", score: Double.random(in: 0.01...1, using: &generator),
                          kept: Int.random(in: 0...3, using: &generator),
                          capacity: Int.random(in: 0...15, using: &generator))
            }
            let replicas = Int.random(in: 0...40, using: &generator)
            for mode in modes {
                let division = ReplicaDivider(replicas: replicas, mode: mode).divide(candidates)
                let usable = candidates.filter { candidate in
                    if case .staticWeights(let weights) = mode { return weights[candidate.domain] != nil || candidate.kept > 0 }
                    return true
                }
                let capacity = usable.reduce(0) { $0 + $1.capacity }
                for (domain, count) in division.counts {
                    let cap = candidates.first { $0.domain == domain }!.capacity
                    XCTAssertLessThanOrEqual(count, cap, "round \(round) \(mode) \(domain)")
                }
                if replicas <= capacity {
                    XCTAssertEqual(division.placed, replicas, "round \(round) \(mode)")
                    XCTAssertEqual(division.unplaced, 0, "round \(round) \(mode)")
                } else {
                    XCTAssertEqual(division.placed + division.unplaced, replicas, "round \(round) \(mode)")
                }
            }
        }
    }
}
