import DRODSCore
import DRODSHistory
import DRODSMessaging
import Foundation
import XCTest

/// `Docs/events.schema.json` is the contract of downstream consumers: every event type the
/// services append has a definition there, and the events they publish on Kafka conform to it.
final class EventCatalogueTests: APITestCase {
    private static func schema() throws -> JSONValue {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Docs/events.schema.json")
        return try WireJSON.decode(JSONValue.self, from: Data(contentsOf: file))
    }

    private static func catalogued(in schema: JSONValue) -> Set<String> {
        guard case .object(let definitions) = schema["$defs"] ?? .null else { return [] }
        return Set(definitions.filter { $0.value["x-drods-event"] == .bool(true) }.keys)
    }

    func testEveryResourceAndBindingEventTypeIsCatalogued() throws {
        let catalogued = Self.catalogued(in: try Self.schema())
        let resourceTypes = ResourceKind.all.flatMap { [$0.createdEvent, $0.updatedEvent, $0.deletedEvent] }
        XCTAssertEqual(Set(resourceTypes).subtracting(catalogued), [])
        XCTAssertEqual(BindingProjection.eventTypes.subtracting(catalogued), [])
    }

    /// Drives the API through one of everything, then reads the event topics and checks each
    /// event of this test against the schema: the envelope, and the data by its type.
    func testPublishedEventsConformToTheSchema() throws {
        let schema = try Self.schema()
        let checker = SchemaChecker(root: schema)
        let cluster = unique("cat")
        let namespace = unique("ns")
        let policy = unique("pp")

        var created = try plane.call("POST", "/api/v1/clusters", token: admin, body: clusterBody(
            cluster, extra: #", "provider": "aws", "credentials": {"token": "secret-token-value"}"#))
        XCTAssertEqual(created.status, 201, "\(created.json)")
        let report = """
            {"cluster": "\(cluster)", "timestamp": "\(ISO8601DateFormatter().string(from: Date()))", "cpuUsage": 10,
             "memoryAvailable": 80, "cpuTotalMillis": 64000, "cpuUsedMillis": 1000,
             "memoryTotalBytes": \(256 << 30), "memoryUsedBytes": \(8 << 30), "podsTotal": 500, "podsUsed": 5}
            """
        XCTAssertEqual(try plane.call("PUT", "/api/v1/metrics", token: admin, body: report).status, 202)
        created = try plane.call("PATCH", "/api/v1/clusters/\(cluster)", token: admin, body: #"{"zone": "a"}"#,
                                 contentType: "application/merge-patch+json")
        XCTAssertEqual(created.status, 200, "\(created.json)")
        let propagation = #"{"name": "\#(policy)", "resourceType": "Deployment", "targetClusters": ["\#(cluster)"], "namespace": "\#(namespace)"}"#
        XCTAssertEqual(try plane.call("POST", "/api/v1/propagationpolicies", token: operatorToken, body: propagation).status, 201)
        let placement = """
            apiVersion: multicluster.io/v1alpha1
            kind: ResourcePlacementPolicy
            metadata:
              name: \(policy)-placement
            spec:
              resourceSelector: {apiVersion: apps/v1, kind: Deployment, name: other, namespace: \(namespace)}
              targetClusters:
                - selectorType: name
                  values: ["\(cluster)"]
            """
        XCTAssertEqual(try plane.call("POST", "/apis/multicluster.io/v1alpha1/resourceplacementpolicies",
                                      token: operatorToken, body: placement, contentType: "application/yaml").status, 201)
        let deployment = #"{"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "shop", "namespace": "\#(namespace)"}, "spec": {"replicas": 2, "template": {"spec": {"containers": [{"name": "c", "image": "nginx", "resources": {"requests": {"cpu": "250m", "memory": "64Mi"}}}]}}}}"#
        XCTAssertEqual(try plane.call("POST", "/api/v1/workloads", token: operatorToken, body: deployment).status, 201)
        let bindingStatus = "/api/v1/bindings/wl.deployment.\(namespace).shop/status"
        XCTAssertTrue(try eventually { try plane.call("GET", bindingStatus, token: viewer).json["phase"]?.stringValue == "Scheduled" })
        let events = [("critical", "NodeNotReady"), ("info", "MemoryPressure"), ("info", "NodeReady")]
        for (severity, type) in events {
            let body = #"{"cluster": "\#(cluster)", "type": "\#(type)", "severity": "\#(severity)", "message": "node n1", "node": "n1", "timestamp": "\#(ISO8601DateFormatter().string(from: Date()))"}"#
            XCTAssertEqual(try plane.call("POST", "/api/v1/metrics/events", token: admin, body: body).status, 202)
        }
        let configs = #"{"cluster": "\#(cluster)", "configs": [{"kind": "ConfigMap", "namespace": "default", "name": "settings", "data": {"a": "1"}}]}"#
        XCTAssertEqual(try plane.call("PUT", "/api/v1/sync/configs", token: admin, body: configs).status, 200)
        let batch = #"{"cluster": "\#(cluster)", "objects": [{"kind": "Deployment", "namespace": "default", "name": "shop", "status": {"readyReplicas": 2}}]}"#
        XCTAssertEqual(try plane.call("POST", "/api/v1/sync/batch", token: admin, body: batch).status, 200)
        XCTAssertEqual(try plane.call("DELETE", "/api/v1/workloads/\(namespace)/deployment/shop", token: operatorToken).status, 200)
        XCTAssertTrue(try eventually { try plane.call("GET", bindingStatus, token: viewer).json["phase"]?.stringValue == "Removed" })

        let expected: Set<String> = [
            "ClusterRegistered", "ClusterUpdated", "PropagationPolicyCreated", "ResourcePlacementPolicyCreated",
            "WorkloadSubmitted", "WorkloadDeleted", "BindingRequested", "BindingScheduled", "BindingRemoved",
            "ClusterFailureReported", "ClusterEventReported", "ClusterFailureResolved", "ClusterConfigsSynced",
            "ClusterStatusSynced",
        ]
        let mine = [cluster, namespace, policy]
        let published = try readEvents(categories: ["cluster", "policy", "workload", "binding", "health", "failure", "work"]) {
            event in mine.contains { (event["streamID"]?.stringValue ?? "").contains($0) }
        } until: { events in expected.isSubset(of: Set(events.compactMap { $0["type"]?.stringValue })) }

        let types = Set(published.compactMap { $0["type"]?.stringValue })
        XCTAssertEqual(expected.subtracting(types), [], "not published")
        let catalogued = Self.catalogued(in: schema)
        for event in published {
            let type = event["type"]?.stringValue ?? "?"
            XCTAssertTrue(catalogued.contains(type), "\(type) is not in the catalogue")
            XCTAssertEqual(checker.problems(of: event, against: schema), [], "envelope of \(type)")
            let definition = schema["$defs"]?[type] ?? .null
            XCTAssertEqual(checker.problems(of: event["data"] ?? .null, against: definition, path: "data"), [],
                           "data of \(type)")
            let text = String(decoding: try WireJSON.encode(event), as: UTF8.self)
            XCTAssertFalse(text.contains("secret-token-value"), "credentials in clear in \(type)")
        }
    }

    /// Reads the given event topics from the beginning until `done` holds for the events kept.
    private func readEvents(categories: [String], keep: @escaping @Sendable (JSONValue) -> Bool,
                            until done: ([JSONValue]) -> Bool) throws -> [JSONValue] {
        let collected = CollectedEvents()
        let stop = StopSignal()
        defer { stop.stop() }
        for category in categories {
            let reader = try KafkaConsumer(
                configuration: KafkaConfiguration(brokers: plane.kafkaBrokers, clientID: "catalogue-\(category)"),
                readerOf: "drods.events.\(category)", startingAt: .beginning,
                logger: Logger(service: "api-tests", level: .error))
            Thread {
                try? reader.run(stop: stop) { message in
                    if let event = try? WireJSON.decode(JSONValue.self, from: message.value), keep(event) {
                        collected.add(event)
                    }
                }
            }.start()
        }
        _ = eventually { done(collected.all) }
        return collected.all
    }
}

private final class CollectedEvents: @unchecked Sendable {
    private let lock = NSLock()
    private var events: [JSONValue] = []

    func add(_ event: JSONValue) { lock.withLock { events.append(event) } }

    var all: [JSONValue] { lock.withLock { events } }
}
