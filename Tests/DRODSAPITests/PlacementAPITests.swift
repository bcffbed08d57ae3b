import DRODSCore
import Foundation
import XCTest

final class PlacementAPITests: APITestCase {
    /// A binding aimed at two reporting clusters is placed on them, every replica once, with
    /// the scores and weights that explain the choice.
    func testBindingIsPlacedWithExplanation() throws {
        let first = try registerReportingCluster(cpuCores: 64)
        let second = try registerReportingCluster(cpuCores: 64)
        let body = #"{"requirements": {"cpu": "1", "memory": "1Gi"}, "replicas": 5, "placement": {"targetClusters": ["\#(first)", "\#(second)"]}}"#
        let accepted = try plane.call("POST", "/api/v1/bindings", token: operatorToken, body: body)
        XCTAssertEqual(accepted.status, 202)
        let statusURL = try XCTUnwrap(accepted.json["statusUrl"]?.stringValue)

        var status = JSONValue.null
        let placed = try eventually {
            status = try plane.call("GET", statusURL, token: viewer).json
            return status["phase"]?.stringValue == "Scheduled"
        }
        XCTAssertTrue(placed, "never scheduled: \(status)")
        guard case .object(let placement) = status["placement"] ?? .null else { return XCTFail("\(status)") }
        XCTAssertEqual(Set(placement.keys).subtracting([first, second]), [], "only the named clusters")
        XCTAssertEqual(placement.values.compactMap(\.doubleValue).reduce(0, +), 5, "every replica placed once")
        XCTAssertNotNil(status["explanation"]?["weights"]?["availability"]?.doubleValue)
        guard case .array(let scores) = status["explanation"]?["scores"] ?? .null else { return XCTFail("\(status)") }
        XCTAssertEqual(Set(scores.compactMap { $0["cluster"]?.stringValue }), [first, second])

        let history = try plane.call("GET", "/api/v1/history/schedules?maxEntries=1000", token: viewer)
        guard case .array(let entries) = history.json["entries"] ?? .null else { return XCTFail("\(history.json)") }
        let bindingID = try XCTUnwrap(accepted.json["bindingId"]?.stringValue)
        let events = entries.filter { $0["bindingId"]?.stringValue == bindingID }.compactMap { $0["event"]?.stringValue }
        XCTAssertTrue(events.contains("BindingScheduled"), "history of \(bindingID): \(events)")
    }

    /// A binding that needs GPUs no named cluster has is unschedulable, with the reason per
    /// cluster, and stays recorded.
    func testBindingThatFitsNowhereIsUnschedulableWithReasons() throws {
        let name = try registerReportingCluster(cpuCores: 16)
        let body = #"{"requirements": {"cpu": "1", "memory": "1Gi", "gpu": 2}, "replicas": 1, "placement": {"targetClusters": ["\#(name)"]}}"#
        let accepted = try plane.call("POST", "/api/v1/bindings", token: operatorToken, body: body)
        XCTAssertEqual(accepted.status, 202, "\(accepted.json)")
        let statusURL = try XCTUnwrap(accepted.json["statusUrl"]?.stringValue)

        var status = JSONValue.null
        let decided = try eventually {
            status = try plane.call("GET", statusURL, token: viewer).json
            return status["phase"]?.stringValue == "Unschedulable"
        }
        XCTAssertTrue(decided, "never judged unschedulable: \(status)")
        XCTAssertEqual(status["placement"], .null)
        let summary = status["explanation"]?["summary"]?.stringValue ?? ""
        XCTAssertFalse(summary.isEmpty, "no reason given: \(status)")
    }
}
