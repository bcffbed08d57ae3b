@testable import DRODSMemberSim
import DRODSCore
import Foundation
import XCTest

final class PodPlacementTests: XCTestCase {
    private let gib = 1_073_741_824.0

    private func room(_ name: String, cpu: Double, memoryGiB: Double, gpu: Double = 0,
                      usedCPU: Double = 0, labels: [String: String] = [:]) -> NodeRoom {
        NodeRoom(name: name, labels: labels,
                 allocatable: ResourceAmounts(cpu: cpu, memoryBytes: memoryGiB * gib, gpu: gpu, pods: 110),
                 requested: ResourceAmounts(cpu: usedCPU))
    }

    func testChoosesTightestNode() {
        let nodes = [room("big", cpu: 16, memoryGiB: 64), room("small", cpu: 4, memoryGiB: 16)]
        let decision = PodPlacement.choose(request: ResourceAmounts(cpu: 2, memoryBytes: 4 * gib, pods: 1),
                                           nodeSelector: [:], nodes: nodes)
        XCTAssertEqual(decision, .node("small"))
    }

    func testSkipsNodeWithoutRoom() {
        let nodes = [room("busy", cpu: 4, memoryGiB: 16, usedCPU: 3.5), room("idle", cpu: 8, memoryGiB: 32)]
        let decision = PodPlacement.choose(request: ResourceAmounts(cpu: 1, pods: 1), nodeSelector: [:], nodes: nodes)
        XCTAssertEqual(decision, .node("idle"))
    }

    func testKeepsGPUNodesForGPUPods() {
        let nodes = [room("gpu", cpu: 8, memoryGiB: 32, gpu: 1), room("plain", cpu: 16, memoryGiB: 64)]
        let cpuPod = PodPlacement.choose(request: ResourceAmounts(cpu: 1, pods: 1), nodeSelector: [:], nodes: nodes)
        XCTAssertEqual(cpuPod, .node("plain"))
        let gpuPod = PodPlacement.choose(request: ResourceAmounts(cpu: 1, gpu: 1, pods: 1), nodeSelector: [:],
                                         nodes: nodes)
        XCTAssertEqual(gpuPod, .node("gpu"))
    }

    func testNodeSelectorFilters() {
        let nodes = [room("a", cpu: 4, memoryGiB: 16, labels: ["tier": "web"]),
                     room("b", cpu: 8, memoryGiB: 32, labels: ["tier": "db"])]
        let decision = PodPlacement.choose(request: ResourceAmounts(cpu: 1, pods: 1), nodeSelector: ["tier": "db"],
                                           nodes: nodes)
        XCTAssertEqual(decision, .node("b"))
    }

    func testUnschedulableNamesReasons() {
        let nodes = [room("a", cpu: 4, memoryGiB: 16), room("b", cpu: 4, memoryGiB: 16)]
        let decision = PodPlacement.choose(request: ResourceAmounts(cpu: 6, pods: 1), nodeSelector: [:], nodes: nodes)
        XCTAssertEqual(decision, .unschedulable("0/2 nodes are available: 2 insufficient cpu"))
    }

    // MARK: - Workloads in a cluster

    private static let spec = ClusterSpec(
        name: "test", provider: "aws", region: "us-east-1", zone: "us-east-1a",
        nodePools: [NodePoolSpec(instanceType: "m5.xlarge", count: 2, cpu: 4, memoryBytes: 16 * 1_073_741_824),
                    NodePoolSpec(instanceType: "g5.xlarge", count: 1, cpu: 4, memoryBytes: 16 * 1_073_741_824,
                                 gpuModel: "NVIDIA-A10G", gpuCount: 1)],
        pricePerHour: PricePerHour(vcpu: 0.04, memoryGB: 0.005))

    private func deployment(_ name: String, replicas: Int, cpu: String, gpu: Int = 0) -> JSONValue {
        var requests: [String: JSONValue] = ["cpu": .string(cpu), "memory": .string("1Gi")]
        if gpu > 0 { requests["nvidia.com/gpu"] = .number(Double(gpu)) }
        return .object([
            "metadata": .object(["name": .string(name)]),
            "spec": .object([
                "replicas": .number(Double(replicas)),
                "template": .object([
                    "metadata": .object(["labels": .object(["app": .string(name)])]),
                    "spec": .object(["containers": .array([.object([
                        "name": .string("main"), "image": .string("busybox"),
                        "resources": .object(["requests": .object(requests)]),
                    ])])]),
                ]),
            ]),
        ])
    }

    private func pods(_ state: ClusterState) -> [JSONValue] {
        state.list(.pods, namespace: "default", selector: nil)["items"]?.arrayValue ?? []
    }

    func testDeploymentPodsBindAndGetReady() throws {
        let start = Date()
        var state = ClusterState(spec: Self.spec, index: 0, behavior: ClusterBehavior(podReadyDelaySeconds: 1),
                                 now: start)
        _ = try state.create(.deployments, namespace: "default", body: deployment("web", replicas: 3, cpu: "1"),
                             now: start)
        XCTAssertEqual(pods(state).count, 3)
        XCTAssertTrue(pods(state).allSatisfy { $0.value(at: ["spec", "nodeName"])?.stringValue != nil })
        let nodes = Set(pods(state).compactMap { $0.value(at: ["spec", "nodeName"])?.stringValue })
        XCTAssertFalse(nodes.contains("test-g5-xlarge-0"), "CPU pods should avoid the GPU node")
        XCTAssertEqual(try state.get(.deployments, namespace: "default", name: "web")
            .value(at: ["status", "readyReplicas"]), .number(0))

        state.reconcile(now: start.addingTimeInterval(1.5))
        let status = try state.get(.deployments, namespace: "default", name: "web")["status"]
        XCTAssertEqual(status?["readyReplicas"], .number(3))
        XCTAssertEqual(status?["availableReplicas"], .number(3))
        XCTAssertTrue(pods(state).allSatisfy { $0.value(at: ["status", "phase"]) == .string("Running") })
    }

    func testPodThatFitsNowhereStaysPending() throws {
        let now = Date()
        var state = ClusterState(spec: Self.spec, index: 0, behavior: ClusterBehavior(podReadyDelaySeconds: 0),
                                 now: now)
        _ = try state.create(.deployments, namespace: "default", body: deployment("huge", replicas: 1, cpu: "6"),
                             now: now)
        let pod = try XCTUnwrap(pods(state).first)
        XCTAssertEqual(pod.value(at: ["status", "phase"]), .string("Pending"))
        XCTAssertNil(pod.value(at: ["spec", "nodeName"]))
        let condition = pod.value(at: ["status", "conditions"])?.arrayValue?.first
        XCTAssertEqual(condition?["reason"], .string("Unschedulable"))
        XCTAssertEqual(condition?["message"], .string("0/3 nodes are available: 3 insufficient cpu"))
    }

    func testScalingAddsAndRemovesPods() throws {
        let now = Date()
        var state = ClusterState(spec: Self.spec, index: 0, behavior: ClusterBehavior(podReadyDelaySeconds: 0),
                                 now: now)
        _ = try state.create(.deployments, namespace: "default", body: deployment("web", replicas: 2, cpu: "500m"),
                             now: now)
        _ = try state.patch(.deployments, namespace: "default", name: "web",
                            patch: .object(["spec": .object(["replicas": .number(5)])]), now: now)
        XCTAssertEqual(pods(state).count, 5)
        _ = try state.patch(.deployments, namespace: "default", name: "web",
                            patch: .object(["spec": .object(["replicas": .number(1)])]), now: now)
        XCTAssertEqual(pods(state).count, 1)
        _ = try state.delete(.deployments, namespace: "default", name: "web", now: now)
        XCTAssertEqual(pods(state).count, 0)
    }

    func testGPUPodsQueueForTheGPU() throws {
        let now = Date()
        var state = ClusterState(spec: Self.spec, index: 0, behavior: ClusterBehavior(podReadyDelaySeconds: 0),
                                 now: now)
        _ = try state.create(.deployments, namespace: "default",
                             body: deployment("train", replicas: 2, cpu: "1", gpu: 1), now: now)
        let bound = pods(state).filter { $0.value(at: ["spec", "nodeName"]) != nil }
        XCTAssertEqual(bound.count, 1)
        XCTAssertEqual(bound.first?.value(at: ["spec", "nodeName"]), .string("test-g5-xlarge-0"))
        let status = try state.get(.deployments, namespace: "default", name: "train")["status"]
        XCTAssertEqual(status?["replicas"], .number(2))
        XCTAssertEqual(status?["readyReplicas"], .number(1))
    }

    func testStatefulSetPodsUseOrdinals() throws {
        let now = Date()
        var state = ClusterState(spec: Self.spec, index: 0, behavior: ClusterBehavior(podReadyDelaySeconds: 0),
                                 now: now)
        _ = try state.create(.statefulSets, namespace: "default", body: deployment("db", replicas: 3, cpu: "100m"),
                             now: now)
        let names = pods(state).compactMap { $0.value(at: ["metadata", "name"])?.stringValue }.sorted()
        XCTAssertEqual(names, ["db-0", "db-1", "db-2"])
        _ = try state.patch(.statefulSets, namespace: "default", name: "db",
                            patch: .object(["spec": .object(["replicas": .number(1)])]), now: now)
        XCTAssertEqual(pods(state).compactMap { $0.value(at: ["metadata", "name"])?.stringValue }, ["db-0"])
    }

    func testJobRunsToCompletion() throws {
        let start = Date()
        var state = ClusterState(spec: Self.spec, index: 0,
                                 behavior: ClusterBehavior(podReadyDelaySeconds: 0, jobRunSeconds: 5), now: start)
        var job = deployment("batch", replicas: 0, cpu: "1")
        job.set(nil, at: ["spec", "replicas"])
        job.set(.number(2), at: ["spec", "completions"])
        job.set(.number(2), at: ["spec", "parallelism"])
        _ = try state.create(.jobs, namespace: "default", body: job, now: start)
        var status = try state.get(.jobs, namespace: "default", name: "batch")["status"]
        XCTAssertEqual(status?["active"], .number(2))
        XCTAssertEqual(status?["succeeded"], .number(0))

        state.reconcile(now: start.addingTimeInterval(6))
        status = try state.get(.jobs, namespace: "default", name: "batch")["status"]
        XCTAssertEqual(status?["active"], .number(0))
        XCTAssertEqual(status?["succeeded"], .number(2))
        XCTAssertEqual(status?["conditions"]?.arrayValue?.first?["type"], .string("Complete"))
    }

    func testBackgroundLoadIsDeterministic() {
        let load = BackgroundLoad(profile: BackgroundLoadProfile(trough: 0.1, peak: 0.7, peakHour: 14, noise: 0),
                                  seed: 7)
        let peak = Date(timeIntervalSince1970: 14 * 3600)
        let trough = Date(timeIntervalSince1970: 2 * 3600)
        XCTAssertEqual(load.share(cluster: "c", node: "n", resource: "cpu", utcOffsetHours: 0, at: peak), 0.7,
                       accuracy: 1e-9)
        XCTAssertEqual(load.share(cluster: "c", node: "n", resource: "cpu", utcOffsetHours: 0, at: trough), 0.1,
                       accuracy: 1e-9)
        XCTAssertEqual(load.share(cluster: "c", node: "n", resource: "cpu", utcOffsetHours: 2,
                                  at: Date(timeIntervalSince1970: 12 * 3600)), 0.7, accuracy: 1e-9)

        let noisy = BackgroundLoad(profile: BackgroundLoadProfile(), seed: 7)
        let first = noisy.share(cluster: "c", node: "n", resource: "memory", utcOffsetHours: 0, at: peak)
        let again = BackgroundLoad(profile: BackgroundLoadProfile(), seed: 7)
            .share(cluster: "c", node: "n", resource: "memory", utcOffsetHours: 0, at: peak)
        let otherSeed = BackgroundLoad(profile: BackgroundLoadProfile(), seed: 8)
            .share(cluster: "c", node: "n", resource: "memory", utcOffsetHours: 0, at: peak)
        XCTAssertEqual(first, again)
        XCTAssertNotEqual(first, otherSeed)
        XCTAssertEqual(first, 0.65, accuracy: 0.05 + 1e-9)
    }
}
