import DRODSCore
import DRODSMessaging
import Foundation
import XCTest

/// Placements that change after the fact: a cluster that must be left, a policy that points
/// elsewhere, a workload that ends. Each change must move as little as it can and give the reason.
final class ReschedulingAPITests: APITestCase {
    private func submitBinding(replicas: Int, targets: [String]) throws -> String {
        let names = targets.map { "\"\($0)\"" }.joined(separator: ", ")
        let body = #"{"requirements": {"cpu": "1", "memory": "1Gi"}, "replicas": \#(replicas), "placement": {"targetClusters": [\#(names)]}}"#
        let accepted = try plane.call("POST", "/api/v1/bindings", token: operatorToken, body: body)
        XCTAssertEqual(accepted.status, 202, "\(accepted.json)")
        return try XCTUnwrap(accepted.json["statusUrl"]?.stringValue)
    }

    /// Waits until the status at `path` satisfies `condition`, and returns the last status.
    private func status(_ path: String, until condition: (JSONValue) -> Bool) throws -> JSONValue {
        var status = JSONValue.null
        _ = try eventually {
            status = try plane.call("GET", path, token: viewer).json
            return condition(status)
        }
        return status
    }

    private func placement(_ status: JSONValue) -> [String: Int] {
        guard case .object(let members) = status["placement"] ?? .null else { return [:] }
        return members.compactMapValues { $0.doubleValue.map { Int($0) } }
    }

    private func taint(_ cluster: String) throws {
        let patch = #"{"taints": [{"key": "maintenance", "effect": "NoExecute"}]}"#
        let patched = try plane.call("PATCH", "/api/v1/clusters/\(cluster)", token: admin, body: patch,
                                     contentType: "application/merge-patch+json")
        XCTAssertEqual(patched.status, 200, "\(patched.json)")
    }

    /// A NoExecute taint on one of two clusters moves its replicas to the other and nothing
    /// else; the decision names the moves and the reason.
    func testTaintedClusterReplicasMoveToTheOtherCluster() throws {
        let first = try registerReportingCluster(cpuCores: 64)
        let second = try registerReportingCluster(cpuCores: 64)
        let path = try submitBinding(replicas: 4, targets: [first, second])
        let placed = try status(path) { $0["phase"]?.stringValue == "Scheduled" }
        let before = placement(placed)
        XCTAssertEqual(before.values.reduce(0, +), 4, "\(placed)")
        let leaving = before[first, default: 0] > 0 ? first : second
        let staying = leaving == first ? second : first

        try taint(leaving)

        let moved = try status(path) { self.placement($0)[leaving] == nil && $0["phase"]?.stringValue == "Scheduled" }
        XCTAssertEqual(placement(moved), [staying: 4], "\(moved)")
        let reason = moved["explanation"]?["reason"]?.stringValue ?? ""
        XCTAssertTrue(reason.contains("\(leaving) has a NoExecute taint"), reason)
        guard case .array(let moves) = moved["explanation"]?["moves"] ?? .null else { return XCTFail("\(moved)") }
        let fromLeaving = moves.filter { $0["from"]?.stringValue == leaving }
            .compactMap { $0["replicas"]?.doubleValue }.reduce(0, +)
        XCTAssertEqual(Int(fromLeaving), before[leaving], "only the tainted cluster's replicas move")
    }

    /// When the only allowed cluster must be left and nothing else fits, the replicas stay
    /// where they are and are reported pending instead of being dropped.
    func testReplicasStayWhenNothingElseFits() throws {
        let only = try registerReportingCluster(cpuCores: 32)
        let path = try submitBinding(replicas: 3, targets: [only])
        _ = try status(path) { $0["phase"]?.stringValue == "Scheduled" }

        try taint(only)

        let retained = try status(path) { $0["phase"]?.stringValue == "PartiallyScheduled" }
        XCTAssertEqual(retained["phase"]?.stringValue, "PartiallyScheduled", "\(retained)")
        XCTAssertEqual(placement(retained), [only: 3])
        XCTAssertEqual(retained["pendingReplicas"]?.doubleValue, 3)
        XCTAssertEqual(retained["explanation"]?["retained"]?[only]?.doubleValue, 3, "\(retained)")
    }

    /// Pointing a propagation policy at another cluster moves the selected workload there.
    func testPolicyChangeMovesItsWorkload() throws {
        let first = try registerReportingCluster(cpuCores: 64)
        let second = try registerReportingCluster(cpuCores: 64)
        let namespace = unique("team")
        let policyName = unique("pp")
        let policy = #"{"name": "\#(policyName)", "resourceType": "Deployment", "targetClusters": ["\#(first)"], "namespace": "\#(namespace)"}"#
        XCTAssertEqual(try plane.call("POST", "/api/v1/propagationpolicies", token: operatorToken, body: policy).status, 201)
        let deployment = #"{"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web", "namespace": "\#(namespace)"}, "spec": {"replicas": 2, "template": {"spec": {"containers": [{"name": "c", "image": "busybox", "resources": {"requests": {"cpu": "500m", "memory": "128Mi"}}}]}}}}"#
        XCTAssertEqual(try plane.call("POST", "/api/v1/workloads", token: operatorToken, body: deployment).status, 201)
        let path = "/api/v1/bindings/wl.deployment.\(namespace).web/status"
        let placed = try status(path) { $0["phase"]?.stringValue == "Scheduled" }
        XCTAssertEqual(placement(placed), [first: 2], "\(placed)")

        let patch = #"{"targetClusters": ["\#(second)"]}"#
        let patched = try plane.call("PATCH", "/api/v1/propagationpolicies/\(policyName)", token: operatorToken,
                                     body: patch, contentType: "application/merge-patch+json")
        XCTAssertEqual(patched.status, 200, "\(patched.json)")

        let moved = try status(path) { self.placement($0) == [second: 2] }
        XCTAssertEqual(placement(moved), [second: 2], "\(moved)")
        XCTAssertEqual(moved["phase"]?.stringValue, "Scheduled")

        // Deleting the workload removes its binding, which keeps its status readable.
        let deleted = try plane.call("DELETE", "/api/v1/workloads/\(namespace)/deployment/web", token: operatorToken)
        XCTAssertEqual(deleted.status, 200, "\(deleted.json)")
        let removed = try status(path) { $0["phase"]?.stringValue == "Removed" }
        XCTAssertEqual(removed["phase"]?.stringValue, "Removed", "\(removed)")
        XCTAssertEqual(placement(removed), [:])
    }

    /// The decision reaches downstream consumers on Kafka as an event of the binding's stream,
    /// with the same placement the status endpoint shows.
    func testDecisionEventReachesKafka() throws {
        let cluster = try registerReportingCluster(cpuCores: 64)
        let reader = try KafkaConsumer(
            configuration: KafkaConfiguration(brokers: plane.kafkaBrokers, clientID: "decision-reader"),
            readerOf: "drods.events.binding", startingAt: .end, logger: Logger(service: "api-tests", level: .error))
        let seen = DecisionEvents()
        let stop = StopSignal()
        let thread = Thread {
            try? reader.run(stop: stop) { message in
                if let event = try? WireJSON.decode(JSONValue.self, from: message.value) { seen.add(event) }
            }
        }
        thread.start()
        defer { stop.stop() }

        let path = try submitBinding(replicas: 2, targets: [cluster])
        let placed = try status(path) { $0["phase"]?.stringValue == "Scheduled" }
        let bindingID = try XCTUnwrap(placed["bindingId"]?.stringValue)

        var decision: JSONValue?
        _ = eventually {
            decision = seen.first { $0["type"]?.stringValue == "BindingScheduled" && $0["data"]?["bindingId"]?.stringValue == bindingID }
            return decision != nil
        }
        let event = try XCTUnwrap(decision, "no BindingScheduled event for \(bindingID) on Kafka")
        XCTAssertEqual(event["streamID"]?.stringValue, "binding-\(bindingID)")
        XCTAssertEqual(event["data"]?["binding"]?["placement"], placed["placement"])
        XCTAssertNotNil(event["data"]?["binding"]?["explanation"]?["weights"], "\(event)")
    }
}

/// Events a reader thread collects while the test waits.
private final class DecisionEvents: @unchecked Sendable {
    private let lock = NSLock()
    private var events: [JSONValue] = []

    func add(_ event: JSONValue) { lock.withLock { events.append(event) } }

    func first(where matches: (JSONValue) -> Bool) -> JSONValue? { lock.withLock { events.first(where: matches) } }
}
