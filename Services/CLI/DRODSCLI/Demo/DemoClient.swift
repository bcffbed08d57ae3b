import DRODSCore
import DRODSHTTP
import Foundation

/// The demo's calls: the gateway's public API with an operator token, and the member-cluster
/// simulator's control API with its admin token.
struct DemoClient: Sendable {
    let gatewayURL: String
    let operatorToken: String
    let simulatorURL: String
    let simulatorToken: String
    /// The instant that history times are measured from.
    let replayStart: Date
    let http = HTTPClient(defaultTimeout: 30)

    private var headers: [String: String] {
        ["Authorization": "Bearer \(operatorToken)", "Content-Type": "application/json"]
    }

    /// Creates the propagation policy that selects every Deployment in the demo namespace.
    func createPolicy() throws {
        let policy = JSONValue.object([
            "name": .string("demo-trace"), "resourceType": .string("Deployment"),
            "targetClusters": .array([]), "namespace": .string(DemoManifest.namespace),
        ])
        let response = try http.request(method: "POST", url: gatewayURL + "/api/v1/propagationpolicies",
                                        headers: headers, body: try WireJSON.encode(policy))
        // 409: a run with the same data folder created it already.
        guard response.status == 201 || response.status == 409 else {
            throw LauncherError("creating the demo's propagation policy failed with HTTP \(response.status): "
                                + String(decoding: response.body, as: UTF8.self))
        }
    }

    /// Submits one task's Deployment; returns the HTTP status (201 when created).
    func createWorkload(_ task: DemoTask) throws -> Int {
        let body = try WireJSON.encode(DemoManifest.deployment(name: task.name, pod: task.pod))
        return try http.request(method: "POST", url: gatewayURL + "/api/v1/workloads", headers: headers,
                                body: body).status
    }

    /// Deletes one task's Deployment; returns the HTTP status (200 when deleted).
    func deleteWorkload(_ task: DemoTask) throws -> Int {
        try http.request(method: "DELETE",
                         url: gatewayURL + "/api/v1/workloads/\(DemoManifest.namespace)/deployment/\(task.name)",
                         headers: headers).status
    }

    /// Reads each cluster's water level and used amounts from the live view.
    func liveDomains() throws -> [String: DemoSample.Domain] {
        let response = try http.request(url: gatewayURL + "/api/v1/monitor/realtime", headers: headers)
        guard response.status == 200 else {
            throw LauncherError("GET /api/v1/monitor/realtime failed with HTTP \(response.status)")
        }
        let body = try WireJSON.decode(JSONValue.self, from: response.body)
        guard case .array(let clusters) = body["clusters"] ?? .null else { return [:] }
        var domains: [String: DemoSample.Domain] = [:]
        for cluster in clusters {
            guard let name = cluster["cluster"]?.stringValue else { continue }
            let report = cluster["report"] ?? .null
            var active = false
            if case .bool(let value) = cluster["active"] ?? .null { active = value }
            domains[name] = DemoSample.Domain(
                waterLevel: cluster["waterLevel"]?.doubleValue ?? 0,
                cpuUsedMillis: report["cpuUsedMillis"]?.doubleValue ?? 0,
                memoryUsedBytes: report["memoryUsedBytes"]?.doubleValue ?? 0, active: active)
        }
        return domains
    }

    /// Reads the schedule history from `cursor` (nil for the replay's start) to its end;
    /// returns the events and the cursor of the last page read. The last page of a history
    /// has no cursor of its own, so a read from the returned cursor returns some events
    /// again. Callers drop those by `seq`.
    func scheduleHistory(after cursor: String?) throws -> (events: [ScheduleEvent], cursor: String?) {
        var events: [ScheduleEvent] = []
        var next = cursor
        var last = cursor
        repeat {
            var query = "maxEntries=200"
            if let next {
                query += "&cursor=\(next.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? next)"
            } else {
                // Entries of an earlier run with the same data folder come before this instant.
                query += "&startTime=\(Self.isoFormatter().string(from: replayStart))"
            }
            let response = try http.request(url: gatewayURL + "/api/v1/history/schedules?" + query, headers: headers)
            guard response.status == 200 else {
                throw LauncherError("GET /api/v1/history/schedules failed with HTTP \(response.status): "
                                    + String(decoding: response.body, as: UTF8.self))
            }
            let body = try WireJSON.decode(JSONValue.self, from: response.body)
            if case .array(let entries) = body["entries"] ?? .null {
                events += entries.compactMap(event(from:))
            }
            next = body["nextCursor"]?.stringValue
            if let next { last = next }
        } while next != nil
        return (events, last)
    }

    private func event(from entry: JSONValue) -> ScheduleEvent? {
        guard let binding = entry["binding"], let bindingID = entry["bindingId"]?.stringValue,
              let timeText = entry["time"]?.stringValue, let time = Self.parseTime(timeText) else { return nil }
        var placement: [String: Int] = [:]
        if case .object(let members) = binding["placement"] ?? .null {
            for (cluster, replicas) in members { placement[cluster] = Int(replicas.doubleValue ?? 0) }
        }
        return ScheduleEvent(seq: Int64(entry["seq"]?.doubleValue ?? 0),
                             time: time.timeIntervalSince(replayStart), bindingID: bindingID,
                             event: entry["event"]?.stringValue ?? "", phase: entry["phase"]?.stringValue ?? "",
                             placement: placement,
                             summary: binding["explanation"]?["summary"]?.stringValue ?? "")
    }

    /// Switches a simulated cluster's fault, such as `down`.
    func setFault(_ mode: String, cluster: String) throws {
        let body = try WireJSON.encode(JSONValue.object(["mode": .string(mode)]))
        let response = try http.request(
            method: "PUT", url: simulatorURL + "/simulator/clusters/\(cluster)/fault",
            headers: ["Authorization": "Bearer \(simulatorToken)", "Content-Type": "application/json"], body: body)
        guard response.status == 200 else {
            throw LauncherError("switching cluster \(cluster) \(mode) failed with HTTP \(response.status): "
                                + String(decoding: response.body, as: UTF8.self))
        }
    }

    static func isoFormatter() -> ISO8601DateFormatter {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter
    }

    /// Parses an RFC 3339 time with or without fractional seconds.
    static func parseTime(_ text: String) -> Date? {
        if let date = isoFormatter().date(from: text) { return date }
        return ISO8601DateFormatter().date(from: text)
    }
}
