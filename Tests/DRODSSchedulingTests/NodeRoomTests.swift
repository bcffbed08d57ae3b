import DRODSDomain
import DRODSScheduling
import XCTest

/// Domains that report the free room of their nodes, not only one largest node.
final class NodeRoomTests: XCTestCase {
    private func failure(_ plugin: any FilterPlugin, _ domain: DomainSnapshot, _ task: SchedulingTask) -> FilterFailure? {
        plugin.filter(domain, context: FilterContext(task: task, fleet: FleetSnapshot(domains: [domain]),
                                                     configuration: SchedulerConfiguration()))
    }

    private func room(_ cores: Int64, _ memoryGiB: Int64, _ gpus: Int64 = 0) -> NodeResources {
        NodeResources(cpuMillis: cores * 1000, memoryBytes: memoryGiB * gibibyte, gpu: gpus)
    }

    func testUndominatedKeepsEachRoomNoOtherCovers() {
        let rooms = [room(8, 32, 0), room(4, 16, 0), room(2, 8, 4), room(8, 32, 0), room(2, 4, 4), room(6, 64, 0)]
        let front = NodeResources.undominated(rooms)
        XCTAssertEqual(Set(front), [room(8, 32, 0), room(2, 8, 4), room(6, 64, 0)])
        XCTAssertEqual(front.count, 3, "each room once")
        XCTAssertEqual(NodeResources.undominated([]), [])
    }

    /// Per-dimension maxima (8 cores from one node, 4 GPUs from another) pass a replica that
    /// needs both. The rooms of the nodes show that no node can hold it.
    func testNodeFitUsesRoomsWhenKnown() {
        let needsBoth = makeTask(replicas: 1, cores: 6, memoryGiB: 8, gpus: 2)
        var domain = makeDomain("gpu-a", cores: 64, memoryGiB: 256, gpus: 8,
                                largestFreeNode: room(8, 32, 4))
        XCTAssertNil(failure(NodeFitFilter(), domain, needsBoth), "only the largest node known: passes")

        domain.freeNodes = NodeResources.undominated([room(8, 32, 0), room(2, 8, 4)])
        XCTAssertEqual(failure(NodeFitFilter(), domain, needsBoth)?.code, .noNodeFits)
        XCTAssertNil(failure(NodeFitFilter(), domain, makeTask(replicas: 1, cores: 2, memoryGiB: 8, gpus: 4)))
        XCTAssertEqual(domain.replicaCapacity(for: ResourceVector(replica: needsBoth.requirements, gpuModel: nil),
                                              gpuModel: nil, limit: 1), 0)
    }
}
