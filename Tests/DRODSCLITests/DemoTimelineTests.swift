@testable import DRODSCLI
import DRODSFleetData
import XCTest

final class DemoTimelineTests: XCTestCase {
    private func pod(_ name: String, _ created: Int64, _ deleted: Int64) -> TracePod {
        TracePod(name: name, cpuMillis: 1000, memoryMiB: 1024, gpuCount: 0, gpuMilli: 0,
                 creationTime: created, deletionTime: deleted)
    }

    func testReplayStartsAfterLastLongGap() {
        let pods = [pod("a", 0, 10), pod("b", 200_000, 200_010), pod("c", 200_500, 200_600), pod("d", 201_000, 201_001)]
        XCTAssertEqual(DemoTimeline.replayStart(pods), 200_000)
    }

    func testReplayStartWithoutGapIsFirstCreation() {
        XCTAssertEqual(DemoTimeline.replayStart([pod("a", 50, 60), pod("b", 100, 200)]), 50)
        XCTAssertEqual(DemoTimeline.replayStart([]), 0)
    }

    func testArrivalsAndLifetimesMapToWallClock() throws {
        // Speedup 1280: arrivals 1280 trace seconds per wall second, lifetimes 10.
        let timeline = DemoTimeline(arrivalSpeedup: 1280)
        XCTAssertEqual(timeline.lifetimeSpeedup, 10)
        let tasks = timeline.tasks(for: [pod("a", 1000, 1100), pod("b", 13_800, 14_800)])
        XCTAssertEqual(tasks.map(\.name), ["a", "b"])
        XCTAssertEqual(tasks[0].createAt, 0)
        XCTAssertEqual(tasks[0].deleteAt, 10, accuracy: 1e-9)
        XCTAssertEqual(tasks[1].createAt, 10, accuracy: 1e-9)
        XCTAssertEqual(tasks[1].deleteAt, 110, accuracy: 1e-9)
    }

    func testPodsBeforeStartRunFromStartOrAreDropped() {
        let timeline = DemoTimeline(arrivalSpeedup: 1280)
        let pods = [pod("ended", 0, 50), pod("running", 0, 300_000), pod("first", 200_000, 200_100),
                    pod("empty", 200_200, 200_200)]
        let tasks = timeline.tasks(for: pods)
        XCTAssertEqual(tasks.map(\.name), ["first", "running"])
        let running = tasks[1]
        XCTAssertEqual(running.createAt, 0)
        // 100,000 trace seconds remain after the start, at 10 trace seconds per wall second.
        XCTAssertEqual(running.deleteAt, 10_000, accuracy: 1e-9)
    }

    func testLifetimeSpeedupIsAtLeastOne() {
        XCTAssertEqual(DemoTimeline(arrivalSpeedup: 16).lifetimeSpeedup, 1)
    }
}
