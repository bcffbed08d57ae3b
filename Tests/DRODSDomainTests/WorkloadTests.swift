import DRODSCore
import DRODSDomain
import XCTest

final class WorkloadTests: XCTestCase {
    private let deployment = json("""
        {"apiVersion": "apps/v1", "kind": "Deployment",
         "metadata": {"name": "webapp", "labels": {"app": "web"}, "resourceVersion": "42", "uid": "u-1",
                      "annotations": {"drods.io/gpu-model": "nvidia-a100", "drods.io/data-location": "us-east-1",
                                      "drods.io/priority": "500"}},
         "spec": {"replicas": 3,
                  "template": {"spec": {
                      "containers": [
                          {"name": "app", "image": "nginx:1.25",
                           "resources": {"requests": {"cpu": "500m", "memory": "256Mi"},
                                         "limits": {"cpu": "1", "memory": "512Mi", "nvidia.com/gpu": 1}}},
                          {"name": "sidecar", "image": "envoy:1.29",
                           "resources": {"requests": {"cpu": "0.25", "memory": "64Mi", "ephemeral-storage": "1Gi"}}}],
                      "initContainers": [
                          {"name": "migrate", "image": "migrate:1", "resources": {"requests": {"cpu": "2"}}}]}}},
         "status": {"readyReplicas": 3}}
        """)

    func testDeploymentRequirementsAndDefaults() throws {
        let workload = try Workload.validate(deployment)
        XCTAssertEqual(workload.kind, .deployment)
        XCTAssertEqual(workload.namespace, "default")
        XCTAssertEqual(workload.key, "Deployment/default/webapp")
        XCTAssertEqual(workload.replicas, 3)
        XCTAssertEqual(workload.labels, ["app": "web"])
        // CPU: the init container's 2 cores exceed the 750m sum of the regular containers.
        XCTAssertEqual(workload.requirements, ResourceRequirements(
            cpuMillis: 2000, memoryBytes: 320 * 1024 * 1024, gpu: 1, ephemeralStorageBytes: 1 << 30))
        XCTAssertEqual(workload.hints, SchedulingHints(gpuModel: "nvidia-a100", dataLocation: "us-east-1", priority: 500))
    }

    func testManifestIsNormalized() throws {
        let manifest = try Workload.validate(deployment).jsonValue()
        XCTAssertEqual(manifest["metadata"]?["namespace"], .string("default"))
        XCTAssertNil(manifest["status"])
        XCTAssertNil(manifest["metadata"]?["resourceVersion"])
        XCTAssertNil(manifest["metadata"]?["uid"])
        XCTAssertEqual(manifest["spec"]?["replicas"], .number(3))
    }

    func testReplicaDefaultsAndJobParallelism() throws {
        let noReplicas = try Workload.validate(removing("spec.replicas", from: deployment))
        XCTAssertEqual(noReplicas.replicas, 1)

        let job = try Workload.validate(json("""
            {"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "train", "namespace": "ml"},
             "spec": {"parallelism": 4, "template": {"spec": {"containers": [{"name": "t", "image": "train:1",
                      "resources": {"limits": {"cpu": "4", "memory": "8Gi"}}}]}}}}
            """))
        XCTAssertEqual(job.replicas, 4)
        XCTAssertEqual(job.key, "Job/ml/train")
        XCTAssertEqual(job.requirements.cpuMillis, 4000, "limits stand in for missing requests")
        XCTAssertEqual(job.requirements.memoryBytes, 8 << 30)

        let statefulSet = try Workload.validate(replacing("kind", with: .string("StatefulSet"), in: deployment))
        XCTAssertEqual(statefulSet.kind, .statefulSet)
    }

    func testInvalidManifestsAreReported() {
        let containers = "spec.template.spec.containers"
        let cases: [(path: String, value: JSONValue, field: String, fragment: String)] = [
            ("kind", .string("DaemonSet"), "kind", "Deployment, StatefulSet, Job"),
            ("apiVersion", .string("extensions/v1beta1"), "apiVersion", "must be apps/v1 for kind Deployment"),
            ("kind", .string("Job"), "apiVersion", "must be batch/v1 for kind Job"),
            ("metadata.name", .string("Web_App"), "metadata.name", "DNS-1123 subdomain"),
            ("metadata.namespace", .string("my.ns"), "metadata.namespace", "DNS-1123 label"),
            ("metadata.labels", json(#"{"app": "a b"}"#), "metadata.labels.app", "label value"),
            ("metadata.annotations", json(#"{"drods.io/priority": "high"}"#),
             #"metadata.annotations["drods.io/priority"]"#, "integer between 0 and 1000"),
            ("metadata.annotations", json(#"{"drods.io/data-location": "US East"}"#),
             #"metadata.annotations["drods.io/data-location"]"#, "region name"),
            ("spec.replicas", .number(100_001), "spec.replicas", "between 0 and 100000"),
            ("spec.replicas", .number(-1), "spec.replicas", "between 0 and 100000"),
            (containers, .array([]), containers, "must not be empty"),
            ("\(containers)[0].image", .string(""), "\(containers)[0].image", "must not be empty"),
            ("\(containers)[1].name", .string("app"), "\(containers)[1].name", "repeats the container name"),
            ("\(containers)[0].resources.requests.cpu", .string("lots"),
             "\(containers)[0].resources.requests.cpu", "resource quantity"),
            ("\(containers)[0].resources.requests.cpu", .string("2"),
             "\(containers)[0].resources.requests.cpu", "must not exceed the limit"),
            ("\(containers)[0].resources.limits[\"nvidia.com/gpu\"]", .string("500m"),
             "\(containers)[0].resources.limits[\"nvidia.com/gpu\"]", "whole number"),
            ("\(containers)[0].resources.requests.memory", .string("-1Gi"),
             "\(containers)[0].resources.requests.memory", "must not be negative"),
        ]
        for testCase in cases {
            let input = replacing(testCase.path, with: testCase.value, in: deployment)
            assertFieldError(try Workload.validate(input), field: testCase.field, contains: testCase.fragment)
        }
        assertFieldError(try Workload.validate(removing("spec.template", from: deployment)),
                         field: "spec.template", contains: "is required")
        assertFieldError(try Workload.validate(removing("metadata.name", from: deployment)),
                         field: "metadata.name", contains: "is required")
    }
}
