import DRODSCore
import Foundation
import XCTest

final class PolicyAPITests: APITestCase {
    func testPropagationPolicyCreateMergePatchAndConflict() throws {
        let name = unique("cross-region")
        let body = #"{"name": "\#(name)", "resourceType": "Deployment", "targetClusters": ["aws-us-east", "azure-europe"]}"#
        let created = try plane.call("POST", "/api/v1/propagationpolicies", token: operatorToken, body: body)
        XCTAssertEqual(created.status, 201, "\(created.json)")
        XCTAssertEqual(created.headers["location"], "/api/v1/propagationpolicies/\(name)")

        let duplicate = try plane.call("POST", "/api/v1/propagationpolicies", token: operatorToken, body: body)
        XCTAssertEqual(duplicate.status, 409)
        XCTAssertEqual(duplicate.json["code"]?.stringValue, "POLICY_CONFLICT")
        XCTAssertEqual(duplicate.json["details"]?["name"]?.stringValue, name)

        let patched = try plane.call("PATCH", "/api/v1/propagationpolicies/\(name)", token: operatorToken,
                                     body: #"{"targetClusters": ["gcp-asia"], "priority": 7}"#,
                                     contentType: "application/merge-patch+json")
        XCTAssertEqual(patched.status, 200, "\(patched.json)")
        XCTAssertEqual(patched.json["targetClusters"], .array([.string("gcp-asia")]))
        XCTAssertEqual(patched.json["priority"]?.doubleValue, 7)
        XCTAssertEqual(try plane.call("GET", "/api/v1/propagationpolicies/\(name)", token: viewer).json["priority"]?.doubleValue, 7)

        let invalid = try plane.call("PATCH", "/api/v1/propagationpolicies/\(name)", token: operatorToken,
                                     body: #"{"resourceType": "CronTab"}"#, contentType: "application/merge-patch+json")
        XCTAssertEqual(invalid.status, 400)
        XCTAssertTrue(fieldErrors(invalid.json).contains("resourceType"), "\(invalid.json)")

        XCTAssertEqual(try plane.call("DELETE", "/api/v1/propagationpolicies/\(name)", token: operatorToken).status, 200)
        let gone = try plane.call("GET", "/api/v1/propagationpolicies/\(name)", token: viewer)
        XCTAssertEqual(gone.json["code"]?.stringValue, "POLICY_NOT_FOUND")
    }

    func testPlacementPolicyFromDraftYAML() throws {
        let name = unique("webapp-placement")
        let yaml = """
            apiVersion: multicluster.io/v1alpha1
            kind: ResourcePlacementPolicy
            metadata:
              name: \(name)
            spec:
              resourceSelector:
                apiVersion: apps/v1
                kind: Deployment
                name: webapp
                namespace: production
              targetClusters:
                - selectorType: name  # Supports "name" or "label"
                  values: ["cluster-east", "cluster-west"]
            """
        let path = "/apis/multicluster.io/v1alpha1/resourceplacementpolicies"
        let created = try plane.call("POST", path, token: operatorToken, body: yaml, contentType: "application/yaml")
        XCTAssertEqual(created.status, 201, "\(created.json)")
        let fetched = try plane.call("GET", "\(path)/\(name)", token: viewer)
        XCTAssertEqual(fetched.json["kind"]?.stringValue, "ResourcePlacementPolicy")
        XCTAssertEqual(fetched.json["spec"]?["resourceSelector"]?["namespace"]?.stringValue, "production")

        let badYAML = try plane.call("POST", path, token: operatorToken, body: "metadata:\n  name: [unclosed",
                                     contentType: "application/yaml")
        XCTAssertEqual(badYAML.status, 400)
        XCTAssertEqual(badYAML.json["code"]?.stringValue, "INVALID_YAML")
        XCTAssertEqual(try plane.call("DELETE", "\(path)/\(name)", token: operatorToken).status, 200)
    }

    func testOverridePolicyFromDraftYAMLAndBadPath() throws {
        let name = unique("gpu-override")
        let path = "/apis/multicluster.io/v1alpha1/clusteroverridepolicies"
        func yaml(_ patchPath: String) -> String {
            """
            apiVersion: multicluster.io/v1alpha1
            kind: ClusterOverridePolicy
            metadata:
              name: \(name)
            spec:
              resourceSelector:
                apiVersion: apps/v1
                kind: Deployment
                name: ai-model
                namespace: default
              overrides:
                - clusterSelector:
                    names: ["gpu-cluster"]
                  fieldPatches:
                    - path: \(patchPath)
                      value: {"nvidia.com/gpu": 2}
            """
        }
        let bad = try plane.call("POST", path, token: operatorToken, body: yaml("spec..containers[x]"),
                                 contentType: "application/yaml")
        XCTAssertEqual(bad.status, 400)
        XCTAssertTrue(fieldErrors(bad.json).contains { $0.hasPrefix("spec.overrides[0].fieldPatches[0].path") }, "\(bad.json)")

        let created = try plane.call("POST", path, token: operatorToken,
                                     body: yaml("spec.template.spec.containers[0].resources.limits"),
                                     contentType: "application/yaml")
        XCTAssertEqual(created.status, 201, "\(created.json)")
        let list = try plane.call("GET", path, token: viewer)
        guard case .array(let items) = list.json["items"] ?? .null else { return XCTFail("\(list.json)") }
        XCTAssertTrue(items.contains { $0["metadata"]?["name"]?.stringValue == name })
    }
}
