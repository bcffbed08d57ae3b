import DRODSScheduling
import XCTest

final class HighestAveragesTests: XCTestCase {
    func testProportionalRounding() {
        let cases: [(weights: [String: Double], total: Int, expected: [String: Int])] = [
            (["a": 1, "b": 1], 4, ["a": 2, "b": 2]),
            (["a": 3, "b": 1], 4, ["a": 3, "b": 1]),
            (["a": 2, "b": 1], 3, ["a": 2, "b": 1]),
            (["a": 5, "b": 3, "c": 2], 10, ["a": 5, "b": 3, "c": 2]),
            (["a": 6, "b": 3, "c": 1], 4, ["a": 3, "b": 1, "c": 0]),
        ]
        for (weights, total, expected) in cases {
            let slots = weights.keys.sorted().map { slot($0, weight: weights[$0]!) }
            let result = HighestAverages.add(total, to: slots)
            XCTAssertEqual(seats(result.slots), expected, "weights \(weights) total \(total)")
            XCTAssertEqual(result.unplaced, 0)
        }
    }

    /// A domain with half the weight used to get nothing for a total of 2, because whole shares
    /// were rounded down and the leftover went to the larger domain.
    func testSmallTotalDoesNotDropDomainToZero() {
        // Every task id, so the result does not hang on the tie-break.
        for task in 0..<20 {
            for (big, small) in [(2.0, 1.0), (5.0, 2.0), (9.0, 4.0)] {
                let slots = [slot("big", weight: big, taskID: "task-\(task)"),
                             slot("small", weight: small, taskID: "task-\(task)")]
                let result = HighestAverages.add(2, to: slots)
                XCTAssertEqual(seats(result.slots), ["big": 1, "small": 1], "task-\(task) weights \(big):\(small)")
            }
        }
    }

    func testCapacityCapsAndOverflow() {
        let result = HighestAverages.add(10, to: [slot("a", weight: 9, capacity: 2), slot("b", weight: 1, capacity: 5)])
        XCTAssertEqual(seats(result.slots), ["a": 2, "b": 5])
        XCTAssertEqual(result.unplaced, 3)
    }

    func testMinimumsGoFirst() {
        let result = HighestAverages.add(3, to: [slot("a", weight: 100), slot("b", weight: 1, minimum: 2)])
        XCTAssertEqual(seats(result.slots), ["a": 1, "b": 2])
    }

    func testStartsFromKeptSeats() {
        let result = HighestAverages.add(2, to: [slot("a", weight: 1, seats: 4), slot("b", weight: 1)])
        XCTAssertEqual(seats(result.slots), ["a": 4, "b": 2])
    }

    func testRemovalTakesLowestQuotientFirst() {
        let result = HighestAverages.remove(2, from: [slot("a", weight: 1, seats: 4), slot("b", weight: 1, seats: 2)])
        XCTAssertEqual(seats(result), ["a": 2, "b": 2])
        let overCapacity = HighestAverages.remove(1, from: [slot("a", weight: 9, seats: 3, capacity: 2),
                                                            slot("b", weight: 1, seats: 3)])
        XCTAssertEqual(seats(overCapacity), ["a": 2, "b": 3])
    }

    func testTieBreakStableAndSpread() {
        var winners: Set<String> = []
        for task in 0..<20 {
            let taskID = "task-\(task)"
            let slots = ["a", "b", "c"].map { slot($0, weight: 1, taskID: taskID) }
            let first = HighestAverages.add(1, to: slots)
            let again = HighestAverages.add(1, to: slots)
            XCTAssertEqual(seats(first.slots), seats(again.slots), taskID)
            winners.formUnion(first.slots.filter { $0.seats == 1 }.map(\.domain))
        }
        XCTAssertEqual(winners, ["a", "b", "c"], "equal-weight leftovers should land on every domain across tasks")
    }

    /// Raising the total used to lower one domain's count with largest-remainder rounding (the
    /// Alabama paradox). The sequential division only ever adds.
    func testRaisingTotalNeverLowersAnyCount() {
        var generator = SeededGenerator(seed: 42)
        for round in 0..<200 {
            let count = Int.random(in: 2...6, using: &generator)
            let slots = (0..<count).map { index in
                slot("d\(index)", weight: Double.random(in: 0.01...10, using: &generator),
                     capacity: Bool.random(using: &generator) ? Int.random(in: 0...30, using: &generator) : .max,
                     taskID: "round-\(round)")
            }
            var previous = seats(slots)
            for total in 1...50 {
                let current = seats(HighestAverages.add(total, to: slots).slots)
                for (domain, seats) in current {
                    XCTAssertGreaterThanOrEqual(seats, previous[domain] ?? 0,
                                                "round \(round) total \(total) domain \(domain)")
                }
                previous = current
            }
        }
    }

    func testSumMatchesRequestWithinCaps() {
        var generator = SeededGenerator(seed: 99)
        for round in 0..<300 {
            let slots = (0..<Int.random(in: 1...8, using: &generator)).map { index in
                slot("d\(index)", weight: Double.random(in: 0...5, using: &generator),
                     capacity: Int.random(in: 0...20, using: &generator),
                     minimum: Int.random(in: 0...2, using: &generator))
            }
            let total = Int.random(in: 0...100, using: &generator)
            let capacity = slots.reduce(0) { $0 + $1.capacity }
            let result = HighestAverages.add(total, to: slots)
            let placed = result.slots.reduce(0) { $0 + $1.seats }
            XCTAssertEqual(placed, min(total, capacity), "round \(round)")
            XCTAssertEqual(result.unplaced, total - placed, "round \(round)")
            for slot in result.slots {
                XCTAssertLessThanOrEqual(slot.seats, slot.capacity, "round \(round) \(slot.domain)")
            }
        }
    }
}
