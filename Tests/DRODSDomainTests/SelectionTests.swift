import DRODSCore
import DRODSDomain
import XCTest

final class SelectionTests: XCTestCase {
    private func workload(kind: String = "Deployment", apiVersion: String = "apps/v1", name: String = "ai-model",
                          namespace: String = "default", labels: String = #"{"team": "ml"}"#) throws -> Workload {
        try Workload.validate(json("""
            {"apiVersion": "\(apiVersion)", "kind": "\(kind)",
             "metadata": {"name": "\(name)", "namespace": "\(namespace)", "labels": \(labels)},
             "spec": {"replicas": 4, "parallelism": 4, "template": {"spec": {"containers": [
                 {"name": "model", "image": "model:1", "resources": {"limits": {"cpu": "1"}}}]}}}}
            """))
    }

    private func cluster(_ name: String, labels: [String: String] = [:]) -> Cluster {
        Cluster(name: name, endpoint: "https://\(name).example", labels: labels)
    }

    private func overridePolicy(_ name: String, clusterSelector: String, patches: String,
                                selector: String = #"{"apiVersion": "apps/v1", "kind": "Deployment", "name": "ai-model"}"#)
        throws -> ClusterOverridePolicy {
        try ClusterOverridePolicy.validate(json("""
            {"apiVersion": "multicluster.io/v1alpha1", "kind": "ClusterOverridePolicy", "metadata": {"name": "\(name)"},
             "spec": {"resourceSelector": \(selector),
                      "overrides": [{"clusterSelector": \(clusterSelector), "fieldPatches": \(patches)}]}}
            """))
    }

    // MARK: - Policies selecting workloads

    func testPropagationPolicySelection() throws {
        let base = PropagationPolicy(name: "p", resourceType: .deployment)
        let model = try workload()
        XCTAssertTrue(base.selects(model))

        var other = base
        other.resourceType = .job
        XCTAssertFalse(other.selects(model), "kind differs")
        other = base
        other.namespace = "prod"
        XCTAssertFalse(other.selects(model), "namespace differs")
        other = base
        other.resourceNames = ["web", "ai-model"]
        XCTAssertTrue(other.selects(model))
        other.resourceNames = ["web"]
        XCTAssertFalse(other.selects(model), "name not listed")
        other = base
        other.labelSelector = ["team": "ml"]
        XCTAssertTrue(other.selects(model))
        other.labelSelector = ["team": "ml", "tier": "gold"]
        XCTAssertFalse(other.selects(model), "a selector label is missing")
    }

    func testResourceSelectorMatching() throws {
        let model = try workload()
        let cases: [(selector: ResourceSelector, expected: Bool)] = [
            (ResourceSelector(kind: .deployment), true),
            (ResourceSelector(kind: .deployment, name: "ai-model", namespace: "default"), true),
            (ResourceSelector(kind: .deployment, name: "other"), false),
            (ResourceSelector(kind: .deployment, namespace: "prod"), false),
            (ResourceSelector(kind: .statefulSet, name: "ai-model"), false),
            (ResourceSelector(kind: .deployment, matchLabels: ["team": "ml"]), true),
            (ResourceSelector(kind: .deployment, matchLabels: ["team": "web"]), false),
        ]
        for testCase in cases {
            XCTAssertEqual(testCase.selector.matches(model), testCase.expected, "\(testCase.selector)")
        }
        let job = try workload(kind: "Job", apiVersion: "batch/v1")
        XCTAssertTrue(ResourceSelector(kind: .job, name: "ai-model").matches(job))
    }

    // MARK: - Allowed clusters

    func testPlacementTargetsByNameAndLabel() {
        let clusters = [
            cluster("east", labels: ["region": "us-east", "gpu": "true"]),
            cluster("west", labels: ["region": "us-west"]),
            cluster("edge", labels: ["region": "us-east"]),
        ]
        let cases: [(target: PlacementTarget, expected: [String])] = [
            (.anyCluster, ["east", "west", "edge"]),
            (PlacementTarget(clusterNames: ["west", "nowhere"]), ["west"]),
            (PlacementTarget(clusterTargets: [ClusterTarget(selectorType: .label, values: ["region=us-east"])]),
             ["east", "edge"]),
            (PlacementTarget(clusterTargets: [ClusterTarget(selectorType: .label, values: ["region=us-east", "gpu=true"])]),
             ["east"]),
            (PlacementTarget(clusterTargets: [ClusterTarget(selectorType: .label, values: ["gpu=true"]),
                                              ClusterTarget(selectorType: .name, values: ["west"])]),
             ["east", "west"]),
            (PlacementTarget(clusterTargets: [ClusterTarget(selectorType: .label, values: ["region="])]), []),
        ]
        for testCase in cases {
            XCTAssertEqual(testCase.target.allowedClusters(clusters).map(\.name), testCase.expected,
                           "\(testCase.target)")
        }
    }

    func testPolicyPlacementTargets() throws {
        let policy = try ResourcePlacementPolicy.validate(json("""
            {"apiVersion": "multicluster.io/v1alpha1", "kind": "ResourcePlacementPolicy", "metadata": {"name": "p"},
             "spec": {"resourceSelector": {"apiVersion": "apps/v1", "kind": "Deployment"},
                      "targetClusters": [{"selectorType": "label", "values": ["region=us-east"]}]}}
            """))
        XCTAssertTrue(policy.selects(try workload()))
        XCTAssertTrue(policy.placementTarget.allows(cluster("a", labels: ["region": "us-east"])))
        XCTAssertFalse(policy.placementTarget.allows(cluster("b", labels: ["region": "eu"])))
        XCTAssertTrue(PropagationPolicy(name: "q", resourceType: .job, targetClusters: ["b"]).placementTarget
            .allows(cluster("b")))
    }

    // MARK: - Overrides and rendering

    func testOverrideAppliesOnlyInMatchingCluster() throws {
        let model = try workload()
        let policy = try overridePolicy(
            "gpu-override", clusterSelector: #"{"names": ["gpu-cluster"]}"#,
            patches: #"[{"path": "spec.template.spec.containers[0].resources.limits", "value": {"nvidia.com/gpu": 2}}]"#)
        let limits = try FieldPath.parse("spec.template.spec.containers[0].resources.limits")

        let gpuManifest = try WorkloadRenderer.render(workload: model, for: cluster("gpu-cluster"), replicas: 2,
                                                      overrides: [policy])
        XCTAssertEqual(limits.get(in: gpuManifest), json(#"{"nvidia.com/gpu": 2}"#))
        XCTAssertEqual(gpuManifest["spec"]?["replicas"], .number(2))

        let plainManifest = try WorkloadRenderer.render(workload: model, for: cluster("cpu-cluster"), replicas: 2,
                                                        overrides: [policy])
        XCTAssertEqual(limits.get(in: plainManifest), json(#"{"cpu": "1"}"#))
        XCTAssertTrue(WorkloadRenderer.applicableOverrides([policy], workload: model, cluster: cluster("cpu-cluster")).isEmpty)
    }

    func testOverrideForOtherWorkloadIsSkipped() throws {
        let policy = try overridePolicy(
            "other", clusterSelector: "{}", patches: #"[{"path": "spec.paused", "value": true}]"#,
            selector: #"{"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"}"#)
        let manifest = try WorkloadRenderer.render(workload: try workload(), for: cluster("a"), overrides: [policy])
        XCTAssertNil(manifest["spec"]?["paused"])
    }

    func testPatchesApplyInPolicyNameOrder() throws {
        let image = #"[{"path": "spec.template.spec.containers[0].image", "value": "IMAGE"}]"#
        let late = try overridePolicy("b-late", clusterSelector: #"{"labels": {"gpu": "true"}}"#,
                                      patches: image.replacingOccurrences(of: "IMAGE", with: "model:from-b"))
        let early = try overridePolicy("a-early", clusterSelector: "{}",
                                       patches: image.replacingOccurrences(of: "IMAGE", with: "model:from-a"))
        let imagePath = try FieldPath.parse("spec.template.spec.containers[0].image")
        let gpuCluster = cluster("g", labels: ["gpu": "true"])

        let manifest = try WorkloadRenderer.render(workload: try workload(), for: gpuCluster, overrides: [late, early])
        XCTAssertEqual(imagePath.get(in: manifest), .string("model:from-b"), "the later name wins")
        XCTAssertEqual(WorkloadRenderer.applicableOverrides([late, early], workload: try workload(), cluster: gpuCluster)
            .map(\.name), ["a-early", "b-late"])

        let plain = try WorkloadRenderer.render(workload: try workload(), for: cluster("p"), overrides: [late, early])
        XCTAssertEqual(imagePath.get(in: plain), .string("model:from-a"))
    }

    func testReplicaCountWinsOverOverride() throws {
        let policy = try overridePolicy("r", clusterSelector: "{}", patches: #"[{"path": "spec.replicas", "value": 9}]"#)
        let manifest = try WorkloadRenderer.render(workload: try workload(), for: cluster("a"), replicas: 3,
                                                   overrides: [policy])
        XCTAssertEqual(manifest["spec"]?["replicas"], .number(3))
        let defaultCount = try WorkloadRenderer.render(workload: try workload(), for: cluster("a"), overrides: [])
        XCTAssertEqual(defaultCount["spec"]?["replicas"], .number(4))
    }

    func testJobRenderSetsParallelism() throws {
        let job = try workload(kind: "Job", apiVersion: "batch/v1")
        let manifest = try WorkloadRenderer.render(workload: job, for: cluster("a"), replicas: 7, overrides: [])
        XCTAssertEqual(manifest["spec"]?["parallelism"], .number(7))
    }

    func testRenderReportsUnsettablePatch() throws {
        let policy = try overridePolicy("broken", clusterSelector: "{}",
                                        patches: #"[{"path": "spec.template.spec.containers[5].image", "value": "x"}]"#)
        XCTAssertThrowsError(try WorkloadRenderer.render(workload: try workload(), for: cluster("a"), overrides: [policy])) { error in
            let renderError = error as? RenderError
            XCTAssertEqual(renderError?.policy, "broken")
            XCTAssertEqual(renderError?.path, "spec.template.spec.containers[5].image")
        }
        XCTAssertThrowsError(try WorkloadRenderer.render(workload: try workload(), for: cluster("a"), replicas: -1,
                                                         overrides: []))
    }
}
