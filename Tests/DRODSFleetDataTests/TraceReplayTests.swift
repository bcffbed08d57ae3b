import DRODSDomain
import DRODSFleetData
import DRODSScheduling
import XCTest

/// A fleet of two domains: `a` with one node of 4 cores, 8 GiB and 1 GPU, `b` with one node of
/// 8 cores, 16 GiB and no GPU.
private func tinyFleet() -> Fleet {
    let a = FleetDomain(name: "a", region: "r1", nodes: [TraceNode(name: "a0", cpuMillis: 4000, memoryMiB: 8192, gpus: 1, gpuModel: "T4")],
                        pricePerVCPUHour: 1, pricePerGBHour: 0)
    let b = FleetDomain(name: "b", region: "r2", nodes: [TraceNode(name: "b0", cpuMillis: 8000, memoryMiB: 16384, gpus: 0, gpuModel: "")],
                        pricePerVCPUHour: 2, pricePerGBHour: 0)
    return Fleet(domains: [a, b], regionLatencyMs: [:])
}

private func pod(_ name: String, cores: Int64, gpuMilli: Int64 = 0, from start: Int64, to end: Int64) -> TracePod {
    TracePod(name: name, cpuMillis: cores * 1000, memoryMiB: 1024, gpuCount: gpuMilli > 0 ? 1 : 0,
             gpuMilli: gpuMilli, creationTime: start, deletionTime: end)
}

/// Sends every pod to the domain at a fixed index.
private struct FixedStrategy: PlacementStrategy {
    let name = "fixed"
    var index: Int?
    func chooseDomain(for pod: TracePod, domains: [ReplayDomain], fleet: FleetSnapshot) -> Int? { index }
}

final class TraceReplayTests: XCTestCase {
    func testRejectsWhenChosenNodeIsFull() {
        // p1 and p2 overlap and need 3 cores each on a 4-core node; p3 comes after p1 leaves.
        let pods = [pod("p1", cores: 3, from: 0, to: 10), pod("p2", cores: 3, from: 5, to: 8),
                    pod("p3", cores: 3, from: 10, to: 20)]
        var strategy = FixedStrategy(index: 0)
        let figures = TraceReplay(fleet: tinyFleet(), pods: pods).run(&strategy)
        XCTAssertEqual(figures.pods, 3)
        XCTAssertEqual(figures.placed, 2)
        XCTAssertEqual(figures.rejectedNoNode, 1)
        XCTAssertEqual(figures.rejectedNoDomain, 0)
    }

    func testStrategyRejectionIsCounted() {
        var strategy = FixedStrategy(index: nil)
        let figures = TraceReplay(fleet: tinyFleet(), pods: [pod("p1", cores: 1, from: 0, to: 1)]).run(&strategy)
        XCTAssertEqual(figures.rejectedNoDomain, 1)
        XCTAssertEqual(figures.placed, 0)
    }

    func testZeroLifetimePodsAreLeftOut() {
        var strategy = FixedStrategy(index: 1)
        let figures = TraceReplay(fleet: tinyFleet(), pods: [pod("p1", cores: 1, from: 4, to: 4)]).run(&strategy)
        XCTAssertEqual(figures.pods, 0)
    }

    func testTimeWeightedLevelsAndCost() {
        // 4 of 8 cores in b for 10 s, then 8 of 8 for 10 s; a stays empty. Memory is 1 GiB per
        // pod of 16 GiB, so CPU is the bottleneck. The figures cover 0 s to the last arrival
        // at 20 s; the 100 s that p3 lives on alone afterwards do not count.
        let pods = [pod("p1", cores: 4, from: 0, to: 20), pod("p2", cores: 4, from: 10, to: 20),
                    pod("p3", cores: 4, from: 20, to: 120)]
        var strategy = FixedStrategy(index: 1)
        let figures = TraceReplay(fleet: tinyFleet(), pods: pods).run(&strategy)
        XCTAssertEqual(figures.placed, 3)
        XCTAssertEqual(figures.maxWaterLevelMean, 0.75, accuracy: 1e-9)
        XCTAssertEqual(figures.maxWaterLevelP95, 1.0, accuracy: 1e-9)
        // Standard deviation of (0, 0.5) is 0.25 and of (0, 1) is 0.5.
        XCTAssertEqual(figures.waterLevelSpread, 0.375, accuracy: 1e-9)
        // 4 cores at $2 for half the time, 8 cores for the other half.
        XCTAssertEqual(figures.costPerHour, 12, accuracy: 1e-9)
    }

    func testSharedGPUFragmentsNode() {
        // Two pods of 0.6 GPU cannot share one GPU; the second is rejected.
        let pods = [pod("p1", cores: 1, gpuMilli: 600, from: 0, to: 10), pod("p2", cores: 1, gpuMilli: 600, from: 1, to: 10),
                    pod("p3", cores: 1, gpuMilli: 400, from: 2, to: 10)]
        var strategy = FixedStrategy(index: 0)
        let figures = TraceReplay(fleet: tinyFleet(), pods: pods).run(&strategy)
        XCTAssertEqual(figures.placed, 2)
        XCTAssertEqual(figures.rejectedNoNode, 1)
    }

    func testDeparturesFreeRoomBeforeArrivals() {
        let pods = [pod("p1", cores: 4, from: 0, to: 10), pod("p2", cores: 4, from: 10, to: 20)]
        var strategy = FixedStrategy(index: 0)
        XCTAssertEqual(TraceReplay(fleet: tinyFleet(), pods: pods).run(&strategy).placed, 2)
    }

    func testSchedulerStrategyAvoidsGPULessDomain() {
        var strategy = SchedulerStrategy()
        let figures = TraceReplay(fleet: tinyFleet(), pods: [pod("p1", cores: 1, gpuMilli: 500, from: 0, to: 10)])
            .run(&strategy)
        XCTAssertEqual(figures.placed, 1)
        XCTAssertEqual(figures.replicasMoved, 0)
    }

    func testKubeFedPlanHeaviestFirst() {
        var strategy = StaticWeightStrategy()
        // b has 8 cores against a's 4, so it takes every one-replica pod while it has room.
        let pods = [pod("p1", cores: 4, from: 0, to: 10), pod("p2", cores: 4, from: 1, to: 10),
                    pod("p3", cores: 4, from: 2, to: 10)]
        let figures = TraceReplay(fleet: tinyFleet(), pods: pods).run(&strategy)
        XCTAssertEqual(figures.placed, 2)
        XCTAssertEqual(figures.rejectedNoNode, 1)
    }

    func testAvailableReplicasPicksMostRoom() {
        var strategy = AvailableReplicasStrategy()
        // b fits 8 one-core pods, a fits 4; after b takes 4, both fit 4 and a wins the tie by name.
        let pods = (0..<5).map { pod("p\($0)", cores: 1, from: Int64($0), to: 100) }
        let figures = TraceReplay(fleet: tinyFleet(), pods: pods).run(&strategy)
        XCTAssertEqual(figures.placed, 5)
        XCTAssertEqual(figures.rejected, 0)
    }
}
