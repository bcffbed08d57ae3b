import DRODSCore
import DRODSDomain
import XCTest

final class PropagationPolicyTests: XCTestCase {
    private let draftExample = json("""
        {"name": "cross-region-policy", "resourceType": "Deployment",
         "targetClusters": ["aws-us-east", "azure-europe"]}
        """)

    func testDraftExampleFillsDefaults() throws {
        let policy = try PropagationPolicy.validate(draftExample)
        XCTAssertEqual(policy.name, "cross-region-policy")
        XCTAssertEqual(policy.resourceType, .deployment)
        XCTAssertEqual(policy.targetClusters, ["aws-us-east", "azure-europe"])
        XCTAssertEqual(policy.priority, 0)
        XCTAssertEqual(policy.scheduling.replicaScheduling.type, .divided)
        XCTAssertEqual(policy.scheduling.replicaScheduling.divisionPreference, .dynamic)
        XCTAssertEqual(policy.scheduling.waterLevelLimit, 0.85)
        XCTAssertFalse(policy.scheduling.allowPartialPlacement)
        XCTAssertNil(policy.scheduling.spreadConstraints)

        let output = policy.jsonValue()
        XCTAssertEqual(output["waterLevelLimit"], .number(0.85))
        XCTAssertEqual(output["replicaScheduling"], json(#"{"type": "Divided", "divisionPreference": "Dynamic"}"#))
        XCTAssertEqual(try PropagationPolicy.validate(output), policy, "output validates back to the same policy")
    }

    func testAllOptionalFields() throws {
        let policy = try PropagationPolicy.validate(json("""
            {"name": "gpu", "resourceType": "Job", "targetClusters": ["a", "b", "c"],
             "namespace": "ml", "resourceNames": ["train.v2"], "labelSelector": {"team": "ml"},
             "priority": 1000, "waterLevelLimit": 1, "allowPartialPlacement": true,
             "replicaScheduling": {"type": "Divided", "divisionPreference": "Weighted",
                                   "weights": {"a": 2, "b": 1}},
             "spreadConstraints": {"minClusters": 2, "maxClusters": 3}, "scheduleAgainstForecast": true}
            """))
        XCTAssertTrue(policy.scheduling.scheduleAgainstForecast)
        XCTAssertEqual(policy.jsonValue()["scheduleAgainstForecast"], .bool(true))
        XCTAssertEqual(policy.namespace, "ml")
        XCTAssertEqual(policy.resourceNames, ["train.v2"])
        XCTAssertEqual(policy.labelSelector, ["team": "ml"])
        XCTAssertEqual(policy.priority, 1000)
        XCTAssertEqual(policy.scheduling.replicaScheduling.weights, ["a": 2, "b": 1])
        XCTAssertEqual(policy.scheduling.spreadConstraints, SpreadConstraints(minClusters: 2, maxClusters: 3))
        XCTAssertTrue(policy.scheduling.allowPartialPlacement)
    }

    func testEmptyTargetListMeansAnyCluster() throws {
        let policy = try PropagationPolicy.validate(replacing("targetClusters", with: .array([]), in: draftExample))
        XCTAssertEqual(policy.placementTarget, .anyCluster)
    }

    func testInvalidFieldsAreReported() {
        let cases: [(path: String, value: JSONValue, field: String, fragment: String)] = [
            ("name", .string("Cross Region"), "name", "DNS-1123 label"),
            ("resourceType", .string("DaemonSet"), "resourceType", "Deployment, StatefulSet, Job"),
            ("targetClusters", json(#"["aws-us-east", "AWS"]"#), "targetClusters[1]", "DNS-1123 label"),
            ("targetClusters", json(#"["a", "a"]"#), "targetClusters[1]", "repeats"),
            ("namespace", .string("Prod"), "namespace", "DNS-1123 label"),
            ("resourceNames", json(#"["web..app"]"#), "resourceNames[0]", "DNS-1123 subdomain"),
            ("labelSelector", json(#"{"app": "a b"}"#), "labelSelector.app", "label value"),
            ("priority", .number(1001), "priority", "between 0 and 1000"),
            ("priority", .number(1.5), "priority", "integer"),
            ("waterLevelLimit", .number(0), "waterLevelLimit", "greater than 0 and at most 1"),
            ("waterLevelLimit", .number(1.2), "waterLevelLimit", "greater than 0 and at most 1"),
            ("waterLevelLimit", .string("0.5"), "waterLevelLimit", "must be a number"),
            ("allowPartialPlacement", .string("yes"), "allowPartialPlacement", "true or false"),
            ("scheduleAgainstForecast", .number(1), "scheduleAgainstForecast", "true or false"),
            ("replicaScheduling", json(#"{"type": "Copied"}"#), "replicaScheduling.type", "Duplicated, Divided"),
            ("replicaScheduling", json(#"{"type": "Duplicated", "divisionPreference": "Dynamic"}"#),
             "replicaScheduling.divisionPreference", "only applies when type is Divided"),
            ("replicaScheduling", json(#"{"divisionPreference": "Weighted"}"#),
             "replicaScheduling.weights", "is required when divisionPreference is Weighted"),
            ("replicaScheduling", json(#"{"divisionPreference": "Dynamic", "weights": {"aws-us-east": 1}}"#),
             "replicaScheduling.weights", "only applies when divisionPreference is Weighted"),
            ("replicaScheduling", json(#"{"divisionPreference": "Weighted", "weights": {"aws-us-east": 0}}"#),
             "replicaScheduling.weights.aws-us-east", "between 1 and"),
            ("replicaScheduling", json(#"{"divisionPreference": "Weighted", "weights": {"gcp": 1}}"#),
             "replicaScheduling.weights.gcp", "not in targetClusters"),
            ("spreadConstraints", json(#"{"minClusters": 3, "maxClusters": 2}"#), "spreadConstraints.maxClusters",
             "at least minClusters"),
            ("spreadConstraints", json(#"{"minClusters": 3}"#), "spreadConstraints.minClusters",
             "lists only 2"),
            ("spreadConstraints", json(#"{"minClusters": 0}"#), "spreadConstraints.minClusters", "between 1 and"),
            ("spreadConstraints", json(#"{"min": 1}"#), "spreadConstraints.min", "not a known field"),
            ("targetCluster", json(#"["a"]"#), "targetCluster", "not a known field"),
        ]
        for testCase in cases {
            let input = replacing(testCase.path, with: testCase.value, in: draftExample)
            assertFieldError(try PropagationPolicy.validate(input), field: testCase.field,
                             contains: testCase.fragment)
        }
    }

    func testMissingFieldsAreAllReported() {
        let errors = assertFieldError(try PropagationPolicy.validate(json("{}")), field: "name", contains: "is required")
        XCTAssertEqual(Set(errors.map(\.field)), ["name", "resourceType", "targetClusters"])
    }
}
