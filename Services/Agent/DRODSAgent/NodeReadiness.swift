import DRODSCore
import Foundation

/// Remembers which nodes were ready at the last look and turns changes into the cluster events
/// of `POST /api/v1/metrics/events`: a node that stops being ready is `NodeNotReady` (critical),
/// one that becomes ready again is `NodeReady`. Pure: no I/O.
///
/// The first look only learns the state: nodes that were never seen ready raise no event, so a
/// restarted agent does not report old failures again.
public struct NodeReadiness: Sendable {
    private var ready: [String: Bool]?

    public init() {}

    /// Returns the events for the change from the last look to `nodes`, in node name order.
    public mutating func events(cluster: String, nodes: [JSONValue], at time: Date) -> [JSONValue] {
        var current: [String: Bool] = [:]
        for node in nodes {
            guard let name = node["metadata"]?["name"]?.stringValue else { continue }
            current[name] = ClusterLoad.isReady(node)
        }
        defer { ready = current }
        guard let previous = ready else { return [] }

        var events: [JSONValue] = []
        for name in current.keys.sorted() {
            let now = current[name]!
            let before = previous[name]
            if before == true && !now {
                events.append(event(cluster, "NodeNotReady", "critical", "node \(name) is not ready", name, time))
            } else if before == false && now {
                events.append(event(cluster, "NodeReady", "info", "node \(name) is ready again", name, time))
            }
        }
        for name in previous.keys.sorted() where current[name] == nil && previous[name] == true {
            events.append(event(cluster, "NodeNotReady", "critical", "node \(name) left the cluster", name, time))
        }
        return events
    }

    private func event(_ cluster: String, _ type: String, _ severity: String, _ message: String,
                       _ node: String, _ time: Date) -> JSONValue {
        .object([
            "cluster": .string(cluster), "type": .string(type), "severity": .string(severity),
            "message": .string(message), "node": .string(node), "timestamp": .string(ISO8601DateFormatter().string(from: time)),
        ])
    }
}
