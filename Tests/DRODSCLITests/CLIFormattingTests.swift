import DRODSCore
@testable import DRODSCLI
import Foundation
import XCTest

/// The pure parts of the CLI: tables, durations, document kinds and messages.
final class CLIFormattingTests: XCTestCase {
    func testTableAlignsColumnsWithoutTrailingBlanks() {
        var table = TextTable(headers: ["NAME", "STATUS"])
        table.append(["aws-east", "Ready"])
        table.append(["b"])
        XCTAssertEqual(table.render(), "NAME       STATUS\naws-east   Ready\nb\n")
    }

    func testDurationParsing() {
        XCTAssertEqual(DurationText.seconds(from: "45s"), 45)
        XCTAssertEqual(DurationText.seconds(from: "1h30m"), 5400)
        XCTAssertEqual(DurationText.seconds(from: "7d"), 604_800)
        XCTAssertNil(DurationText.seconds(from: "10"), "a number needs a unit")
        XCTAssertNil(DurationText.seconds(from: "5w"))
        XCTAssertNil(DurationText.seconds(from: ""))
        XCTAssertNil(DurationText.seconds(from: "-5m"))
    }

    func testAgeFormatting() {
        let cases: [(Double, String)] = [
            (-3, "0s"), (42, "42s"), (200, "3m20s"), (300, "5m"), (1500, "25m"), (14_700, "4h5m"),
            (54_000, "15h"), (273_600, "3d4h"), (3_456_000, "40d"),
        ]
        for (seconds, expected) in cases {
            XCTAssertEqual(DurationText.age(seconds: seconds), expected, "\(seconds) s")
        }
        let now = Date(timeIntervalSince1970: 1_000_000)
        XCTAssertEqual(DurationText.age(since: "1970-01-12T13:46:10Z", now: now), "30s")
        XCTAssertEqual(DurationText.age(since: "1970-01-12T13:46:10.5+00:00", now: now), "29s")
        XCTAssertEqual(DurationText.age(since: nil, now: now), "<unknown>")
        XCTAssertEqual(DurationText.age(since: "yesterday", now: now), "<unknown>")
    }

    func testManifestKindDetection() throws {
        let cases: [(String, ManifestKind)] = [
            (#"{"name": "a", "endpoint": "https://a:6443"}"#, .cluster),
            (#"{"name": "p", "resourceType": "Deployment"}"#, .propagationPolicy),
            (#"{"kind": "ResourcePlacementPolicy", "metadata": {"name": "r"}}"#, .placementPolicy),
            (#"{"kind": "ClusterOverridePolicy", "metadata": {"name": "o"}}"#, .overridePolicy),
            (#"{"kind": "StatefulSet", "metadata": {"name": "db"}}"#, .workload(kind: "StatefulSet")),
        ]
        for (json, expected) in cases {
            let document = try WireJSON.decode(JSONValue.self, from: Data(json.utf8))
            XCTAssertEqual(try ManifestKind.detect(document), expected, json)
        }
        for json in [#"{"kind": "Service"}"#, #"{"name": "x"}"#, #"{"endpoint": "https://a"}"#, "[1]"] {
            let document = try WireJSON.decode(JSONValue.self, from: Data(json.utf8))
            XCTAssertThrowsError(try ManifestKind.detect(document), json)
        }
    }

    func testManifestPaths() throws {
        let workload = try WireJSON.decode(JSONValue.self, from: Data(#"{"kind": "Job", "metadata": {"name": "train"}}"#.utf8))
        let kind = try ManifestKind.detect(workload)
        XCTAssertEqual(kind.itemPath(of: workload), "/api/v1/workloads/default/job/train")
        XCTAssertEqual(kind.displayKey(of: workload), "default/train")
        let cluster = JSONValue.object(["name": .string("a/b"), "endpoint": .string("https://x")])
        XCTAssertEqual(ManifestKind.cluster.itemPath(of: cluster), "/api/v1/clusters/a%2Fb", "a name cannot add a path segment")
    }

    func testApplyComparesOnlyGivenFields() {
        let existing = JSONValue.object([
            "name": .string("a"), "region": .string("us-east-1"), "hasCredentials": .bool(true),
            "status": .object(["phase": .string("Ready")]), "createdAt": .string("2026-01-01T00:00:00Z"),
        ])
        let same = JSONValue.object(["name": .string("a"), "region": .string("us-east-1")])
        XCTAssertFalse(ApplyCommand.differs(same, from: existing))
        let readBack = JSONValue.object(["name": .string("a"), "region": .string("us-east-1"),
                                         "status": .object(["phase": .string("Pending")])])
        XCTAssertFalse(ApplyCommand.differs(readBack, from: existing), "server-set fields are ignored")
        let moved = JSONValue.object(["name": .string("a"), "region": .string("us-west-2")])
        XCTAssertTrue(ApplyCommand.differs(moved, from: existing))
        let removesRegion = JSONValue.object(["name": .string("a"), "region": .null])
        XCTAssertTrue(ApplyCommand.differs(removesRegion, from: existing))
    }

    func testResourceTypeAliases() {
        XCTAssertEqual(ResourceType(argument: "cluster"), .clusters)
        XCTAssertEqual(ResourceType(argument: "PP"), .propagationpolicies)
        XCTAssertEqual(ResourceType(argument: "resourceplacementpolicies"), .placementpolicies)
        XCTAssertEqual(ResourceType(argument: "binding"), .bindings)
        XCTAssertNil(ResourceType(argument: "pods"))
        XCTAssertEqual(ResourceType.bindings.itemPath(name: "b1"), "/api/v1/bindings/b1/status")
    }

    func testClusterTableColumns() throws {
        let json = #"""
            [{"name": "aws-east", "provider": "aws", "region": "us-east-1", "status": {"phase": "Ready"},
              "createdAt": "1970-01-01T00:00:00Z", "endpoint": "https://e:6443", "capabilities": ["gpu"],
              "taints": [{"key": "maintenance", "effect": "NoSchedule"}], "labels": {"env": "prod"}},
             {"name": "bare", "endpoint": "https://b:6443", "status": {"phase": "Pending"}}]
            """#
        guard case .array(let items) = try WireJSON.decode(JSONValue.self, from: Data(json.utf8)) else { return XCTFail() }
        let now = Date(timeIntervalSince1970: 7200)
        XCTAssertEqual(ResourceTables.table(.clusters, items: items, wide: false, now: now).render(), """
            NAME       PROVIDER   REGION      STATUS    AGE
            aws-east   aws        us-east-1   Ready     2h
            bare       <none>     <none>      Pending   <unknown>

            """)
        let wide = ResourceTables.table(.clusters, items: items, wide: true, now: now)
        XCTAssertEqual(wide.headers, ["NAME", "PROVIDER", "REGION", "STATUS", "AGE", "ZONE", "ENDPOINT",
                                      "CAPABILITIES", "TAINTS", "LABELS"])
        XCTAssertEqual(wide.rows[0].suffix(4), ["https://e:6443", "gpu", "maintenance=:NoSchedule", "env=prod"])
    }

    func testBindingTableShowsPlacementSorted() {
        let binding = JSONValue.object([
            "bindingId": .string("b1"), "phase": .string("PartiallyScheduled"),
            "placement": .object(["west": .number(1), "east": .number(3)]), "pendingReplicas": .number(2),
        ])
        let table = ResourceTables.table(.bindings, items: [binding], wide: false)
        XCTAssertEqual(table.rows, [["b1", "PartiallyScheduled", "east=3,west=1", "2"]])
    }

    func testDecisionLineForReschedule() {
        let envelope = JSONValue.object([
            "type": .string("BindingRescheduled"), "recordedAt": .string("2026-12-04T23:11:28Z"),
            "data": .object([
                "bindingId": .string("wl.deployment.prod.shop"), "phase": .string("Scheduled"),
                "binding": .object([
                    "placement": .object(["b": .number(2)]),
                    "explanation": .object([
                        "reason": .string("cluster a failed"),
                        "moves": .array([.object(["from": .string("a"), "to": .string("b"), "replicas": .number(2)])]),
                    ]),
                ]),
            ]),
        ])
        let line = DecisionLine.format(envelope: envelope) ?? ""
        XCTAssertTrue(line.hasPrefix("2026-12-04T23:11:28Z wl.deployment.prod.shop "), line)
        XCTAssertTrue(line.contains("BindingRescheduled"), line)
        XCTAssertTrue(line.contains(" b=2 "), line)
        XCTAssertTrue(line.hasSuffix("reason: cluster a failed; moves: a->b 2"), line)
        XCTAssertNil(DecisionLine.format(envelope: .object(["type": .string("BindingRequested")])),
                     "a request is not a decision")
    }

    func testDescriptionListsScoresBestFirst() {
        let binding = JSONValue.object([
            "bindingId": .string("b1"), "phase": .string("Scheduled"),
            "placement": .object(["east": .number(3)]),
            "explanation": .object([
                "outcome": .string("scheduled"), "fleetLoad": .number(0.25), "summary": .string("1 domain: insufficient gpu"),
                "weights": .object(["availability": .number(0.5), "cost": .number(0.5)]),
                "scores": .array([
                    .object(["cluster": .string("west"), "total": .number(0.4)]),
                    .object(["cluster": .string("east"), "total": .number(0.9),
                             "factors": .object(["availability": .number(0.75)])]),
                ]),
            ]),
        ])
        let history = [JSONValue.object(["time": .string("t1"), "event": .string("BindingScheduled"),
                                         "phase": .string("Scheduled")])]
        let text = BindingDescription.render(binding: binding, history: history)
        XCTAssertTrue(text.contains("Filtered:    1 domain: insufficient gpu"), text)
        XCTAssertTrue(text.contains("availability 0.500, balance -, network -, dataLocality -, cost 0.500"), text)
        let east = text.range(of: "    east      0.900   0.750")
        let west = text.range(of: "    west      0.400")
        XCTAssertNotNil(east, text)
        XCTAssertNotNil(west, text)
        if let east, let west { XCTAssertLessThan(east.lowerBound, west.lowerBound, "best score first") }
        XCTAssertTrue(text.contains("t1     BindingScheduled"), text)
    }

    func testGatewayErrorMessages() {
        let missing = GatewayError.response(status: 401, body: .object([
            "code": .string("UNAUTHORIZED"), "details": .object(["reason": .string("missingToken")]),
        ]), request: "GET /api/v1/clusters")
        XCTAssertTrue(missing.description.contains("no token"), missing.description)
        XCTAssertTrue(missing.description.contains("drods token"), missing.description)
        let expired = GatewayError.response(status: 401, body: .object([
            "details": .object(["reason": .string("expired")]),
        ]), request: "GET /api/v1/clusters")
        XCTAssertTrue(expired.description.contains("expired"), expired.description)

        let invalid = GatewayError.response(status: 400, body: .object([
            "code": .string("VALIDATION_FAILED"), "message": .string("name is bad; endpoint is bad"),
            "details": .object(["errors": .array([
                .object(["field": .string("name"), "message": .string("is bad")]),
                .object(["field": .string("endpoint"), "message": .string("is bad")]),
            ])]),
        ]), request: "POST /api/v1/clusters")
        XCTAssertEqual(invalid.description, """
            POST /api/v1/clusters was rejected, 2 invalid fields:
              name: is bad
              endpoint: is bad
            """)
        let unreachable = GatewayError.unreachable(serverURL: "http://127.0.0.1:9", reason: "refused")
        XCTAssertTrue(unreachable.description.contains("http://127.0.0.1:9"), unreachable.description)
        XCTAssertTrue(unreachable.description.contains("drods up"), unreachable.description)
        XCTAssertTrue(unreachable.description.contains("DRODS_URL"), unreachable.description)
    }

    func testWorkloadNames() {
        let manifest = JSONValue.object(["kind": .string("Deployment"),
                                         "metadata": .object(["name": .string("shop"), "namespace": .string("prod")])])
        XCTAssertTrue(WorkloadName.matches(manifest, "shop"))
        XCTAssertTrue(WorkloadName.matches(manifest, "prod/shop"))
        XCTAssertTrue(WorkloadName.matches(manifest, "deployment/prod/shop"))
        XCTAssertFalse(WorkloadName.matches(manifest, "default/shop"))
        XCTAssertFalse(WorkloadName.matches(manifest, "job/prod/shop"))
    }
}
