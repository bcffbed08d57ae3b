import DRODSAgent
import DRODSCore
import DRODSDomain
import Foundation
import XCTest

final class ClusterLoadTests: XCTestCase {
    private func node(_ name: String, cpu: String, memory: String, gpus: Int = 0, model: String? = nil,
                      ready: Bool = true) -> JSONValue {
        var allocatable: [String: JSONValue] = ["cpu": .string(cpu), "memory": .string(memory), "pods": .string("110")]
        if gpus > 0 { allocatable["nvidia.com/gpu"] = .string(String(gpus)) }
        var labels: [String: JSONValue] = [:]
        if let model { labels["nvidia.com/gpu.product"] = .string(model) }
        return .object([
            "metadata": .object(["name": .string(name), "labels": .object(labels)]),
            "status": .object(["allocatable": .object(allocatable),
                               "conditions": .array([.object(["type": .string("Ready"),
                                                              "status": .string(ready ? "True" : "False")])])]),
        ])
    }

    private func pod(on node: String?, cpu: String, memory: String, gpus: Int = 0, phase: String = "Running") -> JSONValue {
        var requests: [String: JSONValue] = ["cpu": .string(cpu), "memory": .string(memory)]
        if gpus > 0 { requests["nvidia.com/gpu"] = .number(Double(gpus)) }
        var spec: [String: JSONValue] = ["containers": .array([.object(["resources": .object(["requests": .object(requests)])])])]
        if let node { spec["nodeName"] = .string(node) }
        return .object(["spec": .object(spec), "status": .object(["phase": .string(phase)])])
    }

    func testReportCountsBoundRequestsOnReadyNodes() throws {
        let nodes = [node("cpu-1", cpu: "8", memory: "32Gi"), node("gpu-1", cpu: "16", memory: "64Gi", gpus: 4, model: "NVIDIA-A10G"),
                     node("broken", cpu: "8", memory: "32Gi", ready: false)]
        let pods = [pod(on: "cpu-1", cpu: "6", memory: "8Gi"), pod(on: "gpu-1", cpu: "2", memory: "4Gi", gpus: 3),
                    pod(on: "gpu-1", cpu: "8", memory: "8Gi", phase: "Succeeded"), pod(on: nil, cpu: "4", memory: "1Gi"),
                    pod(on: "broken", cpu: "1", memory: "1Gi")]
        let report = ClusterLoad.report(cluster: "edge", nodes: nodes, pods: pods, usage: nil, at: Date())

        XCTAssertEqual(report.cpuTotalMillis, 24_000, "only ready nodes count")
        XCTAssertEqual(report.cpuUsedMillis, 8_000, "finished, unbound and not-ready pods hold nothing")
        XCTAssertEqual(report.memoryTotalBytes, 96 << 30)
        XCTAssertEqual(report.memoryUsedBytes, 12 << 30)
        XCTAssertEqual(report.gpuTotal, 4)
        XCTAssertEqual(report.gpuUsed, 3)
        XCTAssertEqual(report.gpuByModel["NVIDIA-A10G"], ResourceUsage(total: 4, used: 3))
        XCTAssertEqual(report.podsUsed, 2)
        XCTAssertEqual(report.nodes, NodeCounts(ready: 2, notReady: 1))
        XCTAssertEqual(report.cpuUsage, 33.33, accuracy: 0.01)
        XCTAssertEqual(report.memoryAvailable, 84, accuracy: 0.001)
        // cpu-1 has 2 cores and 24 GiB free; gpu-1 has 14 cores, 60 GiB and 1 GPU free.
        XCTAssertEqual(Set(report.freeNodes ?? []), [NodeResources(cpuMillis: 14_000, memoryBytes: 60 << 30, gpu: 1)])
        XCTAssertEqual(report.largestFreeNode, NodeResources(cpuMillis: 14_000, memoryBytes: 60 << 30, gpu: 1))
        // The report is one the gateway accepts.
        XCTAssertEqual(try MetricsReport.validate(report.jsonValue()).jsonValue(), report.jsonValue())
    }

    func testMeasuredUsageSetsCPUUsageAndFreeMemory() {
        let usage = JSONValue.object(["nodes": .array([
            .object(["name": .string("cpu-1"), "used": .object(["cpu": .number(4), "memoryBytes": .number(Double(16 << 30))])]),
            .object(["name": .string("gone"), "used": .object(["cpu": .number(100), "memoryBytes": .number(0)])]),
        ])])
        let report = ClusterLoad.report(cluster: "edge", nodes: [node("cpu-1", cpu: "8", memory: "32Gi")], pods: [],
                                        usage: usage, at: Date())
        XCTAssertEqual(report.cpuUsage, 50)
        XCTAssertEqual(report.memoryAvailable, 16)
        XCTAssertEqual(report.cpuUsedMillis, 0, "placement still counts requests")
    }

    func testReadinessChangesBecomeEventsAfterTheFirstLook() {
        var readiness = NodeReadiness()
        let time = Date()
        XCTAssertEqual(readiness.events(cluster: "edge", nodes: [node("a", cpu: "1", memory: "1Gi", ready: false)], at: time), [],
                       "the first look only learns")
        XCTAssertEqual(readiness.events(cluster: "edge", nodes: [node("a", cpu: "1", memory: "1Gi")], at: time)
            .map { $0["type"]?.stringValue }, ["NodeReady"])
        let lost = readiness.events(cluster: "edge", nodes: [node("a", cpu: "1", memory: "1Gi", ready: false)], at: time)
        XCTAssertEqual(lost.map { $0["type"]?.stringValue }, ["NodeNotReady"])
        XCTAssertEqual(lost.first?["severity"]?.stringValue, "critical")
        XCTAssertEqual(readiness.events(cluster: "edge", nodes: [node("a", cpu: "1", memory: "1Gi", ready: false)], at: time), [])
        XCTAssertEqual(readiness.events(cluster: "edge", nodes: [node("a", cpu: "1", memory: "1Gi")], at: time).count, 1)
        XCTAssertEqual(readiness.events(cluster: "edge", nodes: [], at: time).map { $0["message"]?.stringValue },
                       ["node a left the cluster"])
    }

    func testKubeconfigGivesServerAndTokenOfAContext() throws {
        let config = try Kubeconfig.parse("""
            apiVersion: v1
            kind: Config
            clusters:
              - name: east
                cluster: {server: "https://127.0.0.1:9443/clusters/east"}
            users:
              - name: east-user
                user: {token: abc123}
            contexts:
              - name: east
                context: {cluster: east, user: east-user}
            """)
        XCTAssertEqual(try config.entry(context: "east"),
                       Kubeconfig.Entry(server: "https://127.0.0.1:9443/clusters/east", token: "abc123"))
        XCTAssertThrowsError(try config.entry(context: "west"))
    }
}
