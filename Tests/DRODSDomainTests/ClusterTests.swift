import DRODSCore
import DRODSDomain
import Foundation
import XCTest

final class ClusterTests: XCTestCase {
    private let draftExample = json("""
        {"name": "gcp-production", "endpoint": "https://k8s.gcp.example",
         "capabilities": ["gpu", "tls-encryption"]}
        """)

    private let caData = Data("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n".utf8)
        .base64EncodedString()

    func testDraftExampleIsValid() throws {
        let cluster = try Cluster.validate(draftExample)
        XCTAssertEqual(cluster.name, "gcp-production")
        XCTAssertEqual(cluster.endpoint, "https://k8s.gcp.example")
        XCTAssertEqual(cluster.capabilities, ["gpu", "tls-encryption"])
        XCTAssertEqual(cluster.status.phase, .pending)
        XCTAssertEqual(cluster.labels, [:])
        XCTAssertNil(cluster.encryptedCredentials)
    }

    func testFullRegistrationKeepsEveryField() throws {
        let input = json("""
            {"name": "aws-us-east", "endpoint": "https://10.0.0.1:6443/k8s",
             "capabilities": ["tls-encryption", "gpu"], "provider": "aws", "region": "us-east-1",
             "zone": "us-east-1a", "labels": {"tier": "gold", "topology.kubernetes.io/region": "us-east-1"},
             "taints": [{"key": "dedicated", "value": "ml", "effect": "NoSchedule"},
                        {"key": "maintenance", "effect": "NoExecute"}],
             "credentials": {"token": "secret-token", "caData": "\(caData)"},
             "status": {"phase": "Ready"}}
            """)
        let registration = try Cluster.validateRegistration(input)
        let cluster = registration.cluster
        XCTAssertEqual(cluster.capabilities, ["gpu", "tls-encryption"])
        XCTAssertEqual(cluster.provider, "aws")
        XCTAssertEqual(cluster.region, "us-east-1")
        XCTAssertEqual(cluster.zone, "us-east-1a")
        XCTAssertEqual(cluster.labels["topology.kubernetes.io/region"], "us-east-1")
        XCTAssertEqual(cluster.taints, [ClusterTaint(key: "dedicated", value: "ml", effect: .noSchedule),
                                        ClusterTaint(key: "maintenance", effect: .noExecute)])
        XCTAssertEqual(cluster.status.phase, .pending, "input status is ignored")
        XCTAssertEqual(registration.credentials, ClusterCredentials(token: "secret-token", caData: caData))
    }

    func testInvalidFieldsAreReported() {
        let cases: [(path: String, value: JSONValue, field: String, fragment: String)] = [
            ("name", .string("GCP_Production"), "name", "DNS-1123 label"),
            ("name", .string(String(repeating: "a", count: 64)), "name", "at most 63"),
            ("name", .number(3), "name", "must be a string"),
            ("endpoint", .string("http://k8s.gcp.example"), "endpoint", "https URL"),
            ("endpoint", .string("k8s.gcp.example"), "endpoint", "https URL"),
            ("endpoint", .string("https://"), "endpoint", "https URL"),
            ("endpoint", .string("https://admin:pw@k8s.example"), "endpoint", "user name or password"),
            ("endpoint", .string("https://k8s.example/?debug=1"), "endpoint", "query"),
            ("capabilities", json(#"["gpu", "gpu"]"#), "capabilities[1]", "repeats"),
            ("capabilities", json(#"["GPU"]"#), "capabilities[0]", "lowercase"),
            ("capabilities", json(#"["-gpu"]"#), "capabilities[0]", "capability token"),
            ("capabilities", .string("gpu"), "capabilities", "must be an array"),
            ("region", .string("US East"), "region", "DNS-1123 label"),
            ("labels", json(#"{"bad key!": "x"}"#), #"labels["bad key!"]"#, "label key"),
            ("labels", json(#"{"tier": "gold silver"}"#), "labels.tier", "label value"),
            ("labels", json(#"{"tier": 1}"#), "labels.tier", "must be a string"),
            ("taints", json(#"[{"key": "a", "effect": "Sometimes"}]"#), "taints[0].effect",
             "NoSchedule, PreferNoSchedule, NoExecute"),
            ("taints", json(#"[{"effect": "NoSchedule"}]"#), "taints[0].key", "is required"),
            ("taints", json(#"[{"key": "a", "effect": "NoSchedule"}, {"key": "a", "effect": "NoSchedule"}]"#),
             "taints[1]", "repeats the key"),
            ("credentials", json(#"{"caData": "x"}"#), "credentials.token", "is required"),
            ("credentials", json(#"{"token": "t", "caData": "bm90IGEgY2VydA=="}"#), "credentials.caData",
             "PEM"),
            ("credentials", json(#"{"token": "t", "password": "p"}"#), "credentials.password",
             "not a known field"),
            ("pricePerHour", json(#"{"vcpu": -0.01, "memoryGB": 0.004}"#), "pricePerHour.vcpu", "at least 0"),
            ("pricePerHour", json(#"{"vcpu": 0.04}"#), "pricePerHour.memoryGB", "is required"),
            ("pricePerHour", json(#"{"vcpu": "0.04", "memoryGB": 0.004}"#), "pricePerHour.vcpu", "must be a number"),
            ("pricePerHour", json(#"{"vcpu": 0.04, "memoryGB": 0.004, "gpu": 2}"#), "pricePerHour.gpu",
             "not a known field"),
            ("nmae", .string("typo"), "nmae", "not a known field"),
        ]
        for testCase in cases {
            let input = replacing(testCase.path, with: testCase.value, in: draftExample)
            assertFieldError(try Cluster.validate(input), field: testCase.field, contains: testCase.fragment)
        }
    }

    func testMissingRequiredFields() {
        assertFieldError(try Cluster.validate(removing("name", from: draftExample)),
                         field: "name", contains: "is required")
        assertFieldError(try Cluster.validate(removing("endpoint", from: draftExample)),
                         field: "endpoint", contains: "is required")
        assertFieldError(try Cluster.validate(.array([])), field: "", contains: "JSON object")
    }

    func testCollectsAllErrors() {
        let input = json(#"{"name": "Bad", "endpoint": "ftp://x", "zone": 7, "colour": "red"}"#)
        let errors = assertFieldError(try Cluster.validate(input), field: "name", contains: "DNS-1123")
        XCTAssertEqual(Set(errors.map(\.field)), ["name", "endpoint", "zone", "colour"])
    }

    func testJSONValueOmitsCredentials() throws {
        var cluster = try Cluster.validateRegistration(replacing(
            "credentials", with: json(#"{"token": "very-secret"}"#), in: draftExample)).cluster
        cluster.encryptedCredentials = "v1:c2VhbGVk"
        let output = cluster.jsonValue()
        XCTAssertNil(output["credentials"])
        XCTAssertNil(output["encryptedCredentials"])
        XCTAssertEqual(output["hasCredentials"], .bool(true))
        let text = String(decoding: try WireJSON.encode(output), as: UTF8.self)
        XCTAssertFalse(text.contains("very-secret"))
        XCTAssertFalse(text.contains("c2VhbGVk"))
        XCTAssertEqual(output["status"]?["phase"], .string("Pending"))
    }

    func testCredentialsDescriptionHidesToken() {
        let credentials = ClusterCredentials(token: "very-secret", caData: caData)
        XCTAssertFalse("\(credentials)".contains("very-secret"))
        XCTAssertFalse(String(reflecting: credentials).contains("very-secret"))
        XCTAssertFalse(String(describing: Mirror(reflecting: credentials).children.map(\.value)).contains("very-secret"))
    }

    func testCredentialsPayloadRoundTrip() throws {
        let credentials = ClusterCredentials(token: "t0ken", caData: caData)
        XCTAssertEqual(try ClusterCredentials.fromSealingPayload(credentials.sealingPayload()), credentials)
    }

    // MARK: - Patch

    func testPatchChangesAllowedFields() throws {
        let cluster = try Cluster.validate(json("""
            {"name": "edge", "endpoint": "https://edge.example", "region": "eu-west",
             "labels": {"tier": "gold", "old": "x"}}
            """))
        let patch = try ClusterPatch.validate(json("""
            {"endpoint": "https://edge2.example", "region": null, "zone": "eu-west-1b",
             "labels": {"old": null, "new": "y"}, "capabilities": ["gpu"],
             "taints": [{"key": "k", "effect": "PreferNoSchedule"}], "credentials": {"token": "t"}}
            """))
        var sealed: [ClusterCredentials] = []
        let patched = patch.applied(to: cluster) { credentials in
            sealed.append(credentials)
            return "v1:sealed"
        }
        XCTAssertEqual(patched.endpoint, "https://edge2.example")
        XCTAssertNil(patched.region)
        XCTAssertEqual(patched.zone, "eu-west-1b")
        XCTAssertEqual(patched.labels, ["tier": "gold", "new": "y"])
        XCTAssertEqual(patched.capabilities, ["gpu"])
        XCTAssertEqual(patched.taints.count, 1)
        XCTAssertEqual(patched.encryptedCredentials, "v1:sealed")
        XCTAssertEqual(sealed, [ClusterCredentials(token: "t")])
        XCTAssertEqual(patched.name, "edge")
    }

    func testPatchRemovesCredentialsAndLabels() throws {
        var cluster = try Cluster.validate(replacing("labels", with: json(#"{"a": "b"}"#), in: draftExample))
        cluster.encryptedCredentials = "v1:old"
        let patch = try ClusterPatch.validate(json(#"{"credentials": null, "labels": null}"#))
        let patched = patch.applied(to: cluster) { _ in
            XCTFail("no credentials to seal")
            return ""
        }
        XCTAssertNil(patched.encryptedCredentials)
        XCTAssertEqual(patched.labels, [:])
    }

    func testPriceIsKeptAndPatched() throws {
        let price = json(#"{"vcpu": 0.0405, "memoryGB": 0.0044}"#)
        let cluster = try Cluster.validate(replacing("pricePerHour", with: price, in: draftExample))
        XCTAssertEqual(cluster.pricePerHour, ClusterPrice(vcpu: 0.0405, memoryGB: 0.0044))
        XCTAssertEqual(cluster.jsonValue()["pricePerHour"], price)
        XCTAssertNil(try Cluster.validate(draftExample).pricePerHour)
        XCTAssertNil(try Cluster.validate(draftExample).jsonValue()["pricePerHour"])

        let raise = try ClusterPatch.validate(json(#"{"pricePerHour": {"vcpu": 0.05, "memoryGB": 0.005}}"#))
        let raised = raise.applied(to: cluster) { _ in "" }
        XCTAssertEqual(raised.pricePerHour, ClusterPrice(vcpu: 0.05, memoryGB: 0.005))
        let removal = try ClusterPatch.validate(json(#"{"pricePerHour": null}"#))
        XCTAssertNil(removal.applied(to: cluster) { _ in "" }.pricePerHour)
        let untouched = try ClusterPatch.validate(json(#"{"zone": "a"}"#))
        XCTAssertEqual(untouched.applied(to: cluster) { _ in "" }.pricePerHour, cluster.pricePerHour)
    }

    func testPatchRejectsForbiddenChanges() {
        let cases: [(patch: String, field: String, fragment: String)] = [
            (#"{"name": "other"}"#, "name", "cannot be changed"),
            (#"{"status": {"phase": "Ready"}}"#, "status", "set by the server"),
            (#"{"endpoint": null}"#, "endpoint", "cannot be removed"),
            (#"{"endpoint": "http://x"}"#, "endpoint", "https URL"),
            (#"{"labels": {"Bad Key": "x"}}"#, #"labels["Bad Key"]"#, "label key"),
            (#"{"capabilities": ["A"]}"#, "capabilities[0]", "capability token"),
            (#"{"hasCredentials": true}"#, "hasCredentials", "not a known field"),
        ]
        for testCase in cases {
            assertFieldError(try ClusterPatch.validate(json(testCase.patch)), field: testCase.field,
                             contains: testCase.fragment)
        }
    }

    func testStatusFromHealthEvents() {
        func event(_ health: String?, silent: Double) -> JSONValue {
            var members: [String: JSONValue] = ["cluster": .string("a"), "silentSeconds": .number(silent),
                                                "timestamp": .string("2026-01-02T03:04:05Z")]
            if let health { members["health"] = .string(health) }
            return .object(members)
        }
        XCTAssertEqual(ClusterStatus(healthEvent: event("ready", silent: 0.4)), ClusterStatus(phase: .ready))

        let unknown = ClusterStatus(healthEvent: event("unknown", silent: 31.6))
        XCTAssertEqual(unknown?.phase, .unknown)
        XCTAssertEqual(unknown?.message, "no load report for 31 s")
        XCTAssertEqual(unknown?.jsonValue()["lastHeartbeat"]?.stringValue, "2026-01-02T03:03:33Z",
                       "the last report, 31.6 s before the event, in whole seconds")

        XCTAssertNil(ClusterStatus(healthEvent: event("sleepy", silent: 0)))
        XCTAssertNil(ClusterStatus(healthEvent: event(nil, silent: 0)))
    }
}
