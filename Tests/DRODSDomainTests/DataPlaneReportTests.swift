import DRODSCore
import DRODSDomain
import Foundation
import XCTest

final class DataPlaneReportTests: XCTestCase {
    /// 2023-07-20T08:31:00Z, one minute after the draft example's timestamp.
    private let now = Date(timeIntervalSince1970: 1_689_841_860)

    private let metricsExample = json("""
        {"cluster": "aws-us-east", "timestamp": "2023-07-20T08:30:00Z", "cpuUsage": 72.4, "memoryAvailable": 15.2}
        """)

    // MARK: - MetricsReport

    func testMetricsDraftExampleIsValid() throws {
        let report = try MetricsReport.validate(metricsExample, now: now)
        XCTAssertEqual(report.cluster, "aws-us-east")
        XCTAssertEqual(report.timestamp, Date(timeIntervalSince1970: 1_689_841_800))
        XCTAssertEqual(report.cpuUsage, 72.4)
        XCTAssertEqual(report.memoryAvailable, 15.2)
        XCTAssertEqual(report.gpuByModel, [:])
        XCTAssertEqual(report.jsonValue()["timestamp"], .string("2023-07-20T08:30:00Z"))
    }

    func testMetricsOptionalTotals() throws {
        let input = json("""
            {"cluster": "aws-us-east", "timestamp": "2023-07-20T10:30:00+02:00", "cpuUsage": 50, "memoryAvailable": 0,
             "cpuTotalMillis": 64000, "cpuUsedMillis": 32000, "memoryTotalBytes": 1000, "memoryUsedBytes": 1000,
             "gpuTotal": 8, "gpuUsed": 2, "gpuByModel": {"nvidia-a100": {"total": 8, "used": 2}},
             "podsTotal": 110, "podsUsed": 3, "storageTotalBytes": 10, "storageUsedBytes": 0,
             "networkTrafficBps": 1.2e9, "largestFreeNode": {"cpuMillis": 4000, "memoryBytes": 100, "gpu": 1},
             "nodes": {"ready": 3, "notReady": 1}}
            """)
        let report = try MetricsReport.validate(input, now: now)
        XCTAssertEqual(report.cpuTotalMillis, 64000)
        XCTAssertEqual(report.cpuUsedMillis, 32000)
        XCTAssertEqual(report.gpuByModel["nvidia-a100"], ResourceUsage(total: 8, used: 2))
        XCTAssertEqual(report.largestFreeNode, NodeResources(cpuMillis: 4000, memoryBytes: 100, gpu: 1))
        XCTAssertEqual(report.nodes, NodeCounts(ready: 3, notReady: 1))
        XCTAssertEqual(try MetricsReport.validate(report.jsonValue(), now: now), report)
    }

    func testMetricsInvalidFieldsAreReported() {
        let cases: [(path: String, value: JSONValue, field: String, fragment: String)] = [
            ("cluster", .string("AWS"), "cluster", "DNS-1123 label"),
            ("timestamp", .string("2023-07-20T08:30:00"), "timestamp", "time zone"),
            ("timestamp", .string("yesterday"), "timestamp", "ISO 8601"),
            ("timestamp", .string("2023-07-20T08:36:01Z"), "timestamp", "more than 5 minutes in the future"),
            ("cpuUsage", .number(100.5), "cpuUsage", "between 0 and 100"),
            ("cpuUsage", .string("72%"), "cpuUsage", "must be a number"),
            ("memoryAvailable", .number(-1), "memoryAvailable", "at least 0"),
            ("cpuUsedMillis", .number(5), "cpuUsedMillis", "must not exceed cpuTotalMillis"),
            ("gpuByModel", json(#"{"a100": {"total": 1, "used": 2}}"#), "gpuByModel.a100.used", "must not exceed total"),
            ("nodes", json(#"{"ready": -1, "notReady": 0}"#), "nodes.ready", "at least 0"),
            ("largestFreeNode", json(#"{"cpuMillis": 1}"#), "largestFreeNode.memoryBytes", "is required"),
            ("cpu", .number(1), "cpu", "not a known field"),
        ]
        for testCase in cases {
            var input = replacing(testCase.path, with: testCase.value, in: metricsExample)
            if testCase.field == "cpuUsedMillis" {
                input = replacing("cpuTotalMillis", with: .number(4), in: input)
            }
            assertFieldError(try MetricsReport.validate(input, now: now), field: testCase.field,
                             contains: testCase.fragment)
        }
    }

    func testMetricsTimestampAtSkewLimitIsValid() throws {
        let input = replacing("timestamp", with: .string("2023-07-20T08:36:00Z"), in: metricsExample)
        XCTAssertNoThrow(try MetricsReport.validate(input, now: now))
    }

    func testMetricsCollectsErrorsOfRequiredAndOptionalFields() {
        let input = json(#"{"cluster": "a", "gpuTotal": 1, "gpuUsed": 3}"#)
        let errors = assertFieldError(try MetricsReport.validate(input, now: now), field: "timestamp", contains: "is required")
        XCTAssertEqual(Set(errors.map(\.field)), ["timestamp", "cpuUsage", "memoryAvailable", "gpuUsed"])
    }

    // MARK: - ClusterEventReport

    func testEventIsValid() throws {
        let event = try ClusterEventReport.validate(json("""
            {"cluster": "aws-us-east", "type": "NodeNotReady", "severity": "critical",
             "message": "node ip-10-0-0-1 stopped reporting", "timestamp": "2023-07-20T08:30:00Z",
             "node": "ip-10-0-0-1.ec2.internal", "reason": "KubeletStopped"}
            """), now: now)
        XCTAssertEqual(event.type, .nodeNotReady)
        XCTAssertEqual(event.severity, .critical)
        XCTAssertEqual(event.node, "ip-10-0-0-1.ec2.internal")
        XCTAssertEqual(try ClusterEventReport.validate(event.jsonValue(), now: now), event)
    }

    func testEventInvalidFieldsAreReported() {
        let valid = json("""
            {"cluster": "c", "type": "MemoryPressure", "severity": "warning", "message": "m",
             "timestamp": "2023-07-20T08:30:00Z"}
            """)
        let cases: [(path: String, value: JSONValue, field: String, fragment: String)] = [
            ("type", .string("Explosion"), "type", "NodeNotReady"),
            ("severity", .string("fatal"), "severity", "info, warning, critical"),
            ("message", .string(String(repeating: "x", count: 1025)), "message", "at most 1024"),
            ("message", .string(""), "message", "must not be empty"),
            ("type", .string("Custom"), "reason", "is required for Custom events"),
            ("reason", .string("not camel"), "reason", "CamelCase"),
            ("node", .string("Node_1"), "node", "DNS-1123 subdomain"),
            ("timestamp", .string("2030-01-01T00:00:00Z"), "timestamp", "future"),
        ]
        for testCase in cases {
            let input = replacing(testCase.path, with: testCase.value, in: valid)
            assertFieldError(try ClusterEventReport.validate(input, now: now), field: testCase.field,
                             contains: testCase.fragment)
        }
        XCTAssertNoThrow(try ClusterEventReport.validate(
            replacing("message", with: .string(String(repeating: "x", count: 1024)), in: valid), now: now))
    }

    // MARK: - Sync

    private func batch(objects count: Int) -> JSONValue {
        let objects = (0..<count).map { index in
            JSONValue.object(["kind": .string("Deployment"), "namespace": .string("default"),
                              "name": .string("app-\(index)"), "status": .object(["readyReplicas": .number(1)])])
        }
        return .object(["cluster": .string("aws-us-east"), "objects": .array(objects)])
    }

    func testSyncBatchAcceptsExactlyTheLimit() throws {
        let result = try SyncBatch.validate(batch(objects: SyncBatch.maxObjects))
        XCTAssertEqual(result.objects.count, 1000)
        XCTAssertEqual(result.objects[999].name, "app-999")
    }

    func testSyncBatchRejectsOneOverTheLimit() {
        let errors = assertFieldError(try SyncBatch.validate(batch(objects: 1001)), field: "objects",
                                      contains: "at most 1000 objects per request, got 1001")
        XCTAssertEqual(errors.count, 1)
    }

    func testSyncBatchInvalidEntriesAreReported() {
        let input = json("""
            {"cluster": "c", "objects": [
              {"kind": "Deployment", "name": "a", "status": {}},
              {"kind": "deployment", "name": "b", "status": {}},
              {"kind": "Deployment", "name": "a", "status": {}},
              {"kind": "Deployment", "name": "c", "status": "Running"},
              {"kind": "Deployment", "name": "d", "status": {}, "spec": {}}]}
            """)
        let errors = assertFieldError(try SyncBatch.validate(input), field: "objects[1].kind", contains: "Kubernetes kind")
        let messages = Dictionary(errors.map { ($0.field, $0.message) }, uniquingKeysWith: { first, _ in first })
        XCTAssertEqual(messages.count, 4)
        XCTAssertTrue(messages["objects[2]"]?.contains("once per batch") ?? false)
        XCTAssertTrue(messages["objects[3].status"]?.contains("JSON object") ?? false)
        XCTAssertTrue(messages["objects[4].spec"]?.contains("not a known field") ?? false)
    }

    func testSyncConfigs() throws {
        let configs = try SyncConfigs.validate(json("""
            {"cluster": "c", "configs": [{"kind": "ConfigMap", "namespace": "kube-system", "name": "coredns",
                                          "data": {"Corefile": ".:53"}}]}
            """))
        XCTAssertEqual(configs.configs.count, 1)
        XCTAssertEqual(configs.configs[0].data, json(#"{"Corefile": ".:53"}"#))
        assertFieldError(try SyncConfigs.validate(json(#"{"cluster": "c", "configs": [{"kind": "ConfigMap", "name": "x"}]}"#)),
                         field: "configs[0].data", contains: "is required")
        let tooMany = JSONValue.object(["cluster": .string("c"), "configs": .array(Array(
            repeating: json(#"{"kind": "ConfigMap", "name": "x", "data": 1}"#), count: 1001))])
        assertFieldError(try SyncConfigs.validate(tooMany), field: "configs", contains: "at most 1000")
    }
}
