import DRODSCore
import DRODSDomain
import XCTest

final class BindingRequestTests: XCTestCase {
    func testWorkloadSubjectWithPolicy() throws {
        let request = try BindingRequest.validate(json("""
            {"workload": {"kind": "Deployment", "namespace": "prod", "name": "webapp"},
             "policy": "cross-region-policy", "priority": 100, "name": "nightly rollout"}
            """))
        XCTAssertEqual(request.subject, .workload(WorkloadReference(kind: .deployment, namespace: "prod", name: "webapp")))
        XCTAssertNil(request.replicas)
        XCTAssertEqual(request.priority, 100)
        XCTAssertEqual(request.policy, "cross-region-policy")
        XCTAssertEqual(request.name, "nightly rollout")
        XCTAssertEqual(try BindingRequest.validate(request.jsonValue()), request)
    }

    func testRequirementsSubjectWithInlinePlacement() throws {
        let request = try BindingRequest.validate(json("""
            {"requirements": {"cpu": "1500m", "memory": "2Gi", "gpu": 1, "gpuModel": "nvidia-a100"},
             "replicas": 6,
             "placement": {"targetClusters": ["a", "b"], "waterLevelLimit": 0.7,
                           "replicaScheduling": {"divisionPreference": "Weighted", "weights": {"a": 2, "b": 1}}}}
            """))
        XCTAssertEqual(request.subject, .requirements(
            ResourceRequirements(cpuMillis: 1500, memoryBytes: 2 << 30, gpu: 1), gpuModel: "nvidia-a100"))
        XCTAssertEqual(request.replicas, 6)
        XCTAssertEqual(request.priority, 0)
        XCTAssertEqual(request.placement?.targetClusters, ["a", "b"])
        XCTAssertEqual(request.placement?.scheduling.waterLevelLimit, 0.7)
        XCTAssertEqual(request.placement?.scheduling.replicaScheduling.weights, ["a": 2, "b": 1])
        XCTAssertEqual(try BindingRequest.validate(request.jsonValue()), request)
    }

    func testInvalidRequestsAreReported() {
        let workload = #""workload": {"kind": "Deployment", "name": "web"}"#
        let requirements = #""requirements": {"cpu": "1", "memory": "1Gi"}"#
        let cases: [(body: String, field: String, fragment: String)] = [
            ("{}", "workload", "or requirements is required"),
            ("{\(workload), \(requirements), \"replicas\": 1}", "requirements", "exactly one"),
            ("{\(requirements)}", "replicas", "is required together with requirements"),
            ("{\(requirements), \"replicas\": 0}", "replicas", "between 1 and 100000"),
            ("{\(requirements), \"replicas\": 100001}", "replicas", "between 1 and 100000"),
            ("{\(workload), \"priority\": -1}", "priority", "between 0 and 1000"),
            ("{\(workload), \"policy\": \"p\", \"placement\": {}}", "placement", "together with policy"),
            ("{\(workload), \"policy\": \"Bad Policy\"}", "policy", "DNS-1123 label"),
            (#"{"workload": {"kind": "Pod", "name": "web"}}"#, "workload.kind", "Deployment, StatefulSet, Job"),
            (#"{"workload": {"kind": "Job"}}"#, "workload.name", "is required"),
            (#"{"requirements": {"cpu": "x", "memory": "1Gi"}, "replicas": 1}"#, "requirements.cpu", "resource quantity"),
            (#"{"requirements": {"cpu": "1"}, "replicas": 1}"#, "requirements.memory", "is required"),
            (#"{"requirements": {"cpu": "1", "memory": "1Gi", "gpu": 0.5}, "replicas": 1}"#, "requirements.gpu", "integer"),
            (#"{"requirements": {"cpu": "1", "memory": "1Gi", "disk": "1Gi"}, "replicas": 1}"#, "requirements.disk",
             "not a known field"),
            ("{\(workload), \"placement\": {\"targetClusters\": [\"A\"]}}", "placement.targetClusters[0]", "DNS-1123"),
            ("{\(workload), \"placement\": {\"priority\": 3}}", "placement.priority", "not a known field"),
            ("{\(workload), \"id\": \"b-1\"}", "id", "not a known field"),
        ]
        for testCase in cases {
            assertFieldError(try BindingRequest.validate(json(testCase.body)), field: testCase.field,
                             contains: testCase.fragment)
        }
    }
}
