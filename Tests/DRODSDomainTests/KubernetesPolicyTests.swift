import DRODSCore
import DRODSDomain
import XCTest

final class KubernetesPolicyTests: XCTestCase {
    private let placementExample = json("""
        {"apiVersion": "multicluster.io/v1alpha1", "kind": "ResourcePlacementPolicy",
         "metadata": {"name": "webapp-placement"},
         "spec": {"resourceSelector": {"apiVersion": "apps/v1", "kind": "Deployment",
                                       "name": "webapp", "namespace": "production"},
                  "targetClusters": [{"selectorType": "name", "values": ["cluster-east", "cluster-west"]}]}}
        """)

    private let overrideExample = json("""
        {"apiVersion": "multicluster.io/v1alpha1", "kind": "ClusterOverridePolicy",
         "metadata": {"name": "gpu-override"},
         "spec": {"resourceSelector": {"apiVersion": "apps/v1", "kind": "Deployment",
                                       "name": "ai-model", "namespace": "default"},
                  "overrides": [{"clusterSelector": {"names": ["gpu-cluster"]},
                                 "fieldPatches": [{"path": "spec.template.spec.containers[0].resources.limits",
                                                   "value": {"nvidia.com/gpu": 2}}]}]}}
        """)

    // MARK: - ResourcePlacementPolicy

    func testPlacementDraftExampleIsValid() throws {
        let policy = try ResourcePlacementPolicy.validate(placementExample)
        XCTAssertEqual(policy.name, "webapp-placement")
        XCTAssertEqual(policy.spec.resourceSelector,
                       ResourceSelector(kind: .deployment, name: "webapp", namespace: "production"))
        XCTAssertEqual(policy.spec.targetClusters,
                       [ClusterTarget(selectorType: .name, values: ["cluster-east", "cluster-west"])])
        XCTAssertEqual(policy.spec.priority, 0)
        XCTAssertEqual(policy.spec.scheduling, SchedulingOptions())
        let output = policy.jsonValue()
        XCTAssertEqual(output["spec"]?["waterLevelLimit"], .number(0.85))
        XCTAssertEqual(output["apiVersion"], .string("multicluster.io/v1alpha1"))
        XCTAssertEqual(try ResourcePlacementPolicy.validate(output), policy)
    }

    func testPlacementLabelTargetsAndSchedulingFields() throws {
        let input = replacing("spec", with: json("""
            {"resourceSelector": {"apiVersion": "batch/v1", "kind": "Job",
                                  "labelSelector": {"matchLabels": {"team": "ml"}}},
             "targetClusters": [{"selectorType": "label", "values": ["region=us-east", "gpu=true"]}],
             "priority": 10, "allowPartialPlacement": true,
             "replicaScheduling": {"type": "Duplicated"}}
            """), in: placementExample)
        let policy = try ResourcePlacementPolicy.validate(input)
        XCTAssertEqual(policy.spec.resourceSelector.matchLabels, ["team": "ml"])
        XCTAssertEqual(policy.spec.targetClusters[0].selectorType, .label)
        XCTAssertEqual(policy.spec.priority, 10)
        XCTAssertEqual(policy.spec.scheduling.replicaScheduling, ReplicaScheduling(type: .duplicated))
    }

    func testPlacementStatusInInputIsIgnored() throws {
        let input = replacing("status", with: json(#"{"anything": 1}"#), in: placementExample)
        XCTAssertEqual(try ResourcePlacementPolicy.validate(input).status, .object([:]))
    }

    func testPlacementInvalidFieldsAreReported() {
        let cases: [(path: String, value: JSONValue, field: String, fragment: String)] = [
            ("apiVersion", .string("v1"), "apiVersion", "multicluster.io/v1alpha1"),
            ("kind", .string("ClusterOverridePolicy"), "kind", "must be ResourcePlacementPolicy"),
            ("metadata.name", .string("Web"), "metadata.name", "DNS-1123 label"),
            ("metadata.namespace", .string("x"), "metadata.namespace", "not a known field"),
            ("spec.resourceSelector.kind", .string("Pod"), "spec.resourceSelector.kind", "Deployment, StatefulSet, Job"),
            ("spec.resourceSelector.apiVersion", .string("batch/v1"), "spec.resourceSelector.apiVersion",
             "must be apps/v1 for kind Deployment"),
            ("spec.resourceSelector.labelSelector", json(#"{"matchExpressions": []}"#),
             "spec.resourceSelector.labelSelector.matchExpressions", "not a known field"),
            ("spec.targetClusters[0].selectorType", .string("region"), "spec.targetClusters[0].selectorType",
             "name, label"),
            ("spec.targetClusters[0].values", .array([]), "spec.targetClusters[0].values", "must not be empty"),
            ("spec.targetClusters[0].values", json(#"["Cluster_East"]"#), "spec.targetClusters[0].values[0]",
             "DNS-1123 label"),
            ("spec.targetClusters[0]", json(#"{"selectorType": "label", "values": ["region"]}"#),
             "spec.targetClusters[0].values[0]", "key=value"),
            ("spec.waterLevelLimit", .number(-1), "spec.waterLevelLimit", "greater than 0"),
            ("spec.priority", .number(2000), "spec.priority", "between 0 and 1000"),
            ("spec.placement", .string("x"), "spec.placement", "not a known field"),
            ("extra", .bool(true), "extra", "not a known field"),
        ]
        for testCase in cases {
            let input = replacing(testCase.path, with: testCase.value, in: placementExample)
            assertFieldError(try ResourcePlacementPolicy.validate(input), field: testCase.field,
                             contains: testCase.fragment)
        }
        assertFieldError(try ResourcePlacementPolicy.validate(removing("spec.resourceSelector", from: placementExample)),
                         field: "spec.resourceSelector", contains: "is required")
    }

    // MARK: - ClusterOverridePolicy

    func testOverrideDraftExampleIsValid() throws {
        let policy = try ClusterOverridePolicy.validate(overrideExample)
        XCTAssertEqual(policy.name, "gpu-override")
        XCTAssertEqual(policy.spec.overrides.count, 1)
        XCTAssertEqual(policy.spec.overrides[0].clusterSelector.names, ["gpu-cluster"])
        XCTAssertEqual(policy.spec.overrides[0].fieldPatches,
                       [FieldPatch(path: "spec.template.spec.containers[0].resources.limits",
                                   value: json(#"{"nvidia.com/gpu": 2}"#))])
        XCTAssertEqual(try ClusterOverridePolicy.validate(policy.jsonValue()), policy)
    }

    func testOverrideInvalidFieldsAreReported() {
        let patch = "spec.overrides[0].fieldPatches[0]"
        let cases: [(path: String, value: JSONValue, field: String, fragment: String)] = [
            ("kind", .string("ResourcePlacementPolicy"), "kind", "must be ClusterOverridePolicy"),
            ("spec.overrides", .array([]), "spec.overrides", "must not be empty"),
            ("spec.overrides[0].fieldPatches", .array([]), "spec.overrides[0].fieldPatches", "must not be empty"),
            ("\(patch).path", .string("spec..replicas"), "\(patch).path", "field path"),
            ("\(patch).path", .string("spec.containers[01]"), "\(patch).path", "leading zero"),
            ("\(patch).path", .string("metadata.name"), "\(patch).path", "must not change"),
            ("\(patch).path", .string("kind"), "\(patch).path", "must not change"),
            ("\(patch).op", .string("add"), "\(patch).op", "not a known field"),
            ("spec.overrides[0].clusterSelector.names", json(#"["GPU"]"#),
             "spec.overrides[0].clusterSelector.names[0]", "DNS-1123 label"),
            ("spec.overrides[0].clusterSelector.labels", json(#"{"gpu": "a b"}"#),
             "spec.overrides[0].clusterSelector.labels.gpu", "label value"),
            ("spec.overrides[0].clusterSelector.regions", .array([]),
             "spec.overrides[0].clusterSelector.regions", "not a known field"),
            ("spec.targetClusters", .array([]), "spec.targetClusters", "not a known field"),
        ]
        for testCase in cases {
            let input = replacing(testCase.path, with: testCase.value, in: overrideExample)
            assertFieldError(try ClusterOverridePolicy.validate(input), field: testCase.field,
                             contains: testCase.fragment)
        }
        let withoutValue = replacing("spec.overrides[0].fieldPatches", with: json(#"[{"path": "spec.paused"}]"#),
                                     in: overrideExample)
        assertFieldError(try ClusterOverridePolicy.validate(withoutValue), field: "\(patch).value",
                         contains: "is required")
    }

    func testOverrideAcceptsNullValueAndQuotedPath() throws {
        let input = replacing("spec.overrides[0].fieldPatches", with: json("""
            [{"path": "metadata.annotations[\\"example.com/owner\\"]", "value": null}]
            """), in: overrideExample)
        let policy = try ClusterOverridePolicy.validate(input)
        XCTAssertEqual(policy.spec.overrides[0].fieldPatches[0].value, .null)
        XCTAssertEqual(policy.spec.overrides[0].fieldPatches[0].path, #"metadata.annotations["example.com/owner"]"#)
    }
}
