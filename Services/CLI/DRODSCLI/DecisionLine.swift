import DRODSCore
import Foundation

/// One line of `drods watch` for an event of `drods.events.binding`: time, binding, event
/// type, phase, placement, and what explains the decision.
public enum DecisionLine {
    /// Binding event types that record a decision of the scheduler; `BindingRequested` is the
    /// task arriving, not a decision.
    public static let decisionTypes: Set<String> = [
        "BindingScheduled", "BindingUnschedulable", "BindingRescheduled", "BindingRemoved",
    ]

    /// Returns the line for an event envelope, or nil when the event is not a decision.
    public static func format(envelope: JSONValue) -> String? {
        guard let type = envelope["type"]?.stringValue, decisionTypes.contains(type) else { return nil }
        let data = envelope["data"] ?? .null
        let binding = data["binding"] ?? .null
        let placement = type == "BindingRemoved"
            ? "was " + ResourceTables.placement(binding["previousPlacement"] ?? data["previousPlacement"])
            : ResourceTables.placement(binding["placement"])
        var fields = [
            ResourceTables.text(envelope["recordedAt"]),
            pad(ResourceTables.text(data["bindingId"]), to: 32),
            pad(type, to: 20),
            pad(ResourceTables.text(data["phase"]), to: 18),
            placement,
        ]
        let detail = detail(of: binding)
        if !detail.isEmpty { fields.append(detail) }
        return fields.joined(separator: " ")
    }

    /// Returns why a decision came out as it did: the reason and moves of a reschedule, the
    /// filter summary of an unschedulable binding, or the pending replicas of a partial one.
    public static func detail(of binding: JSONValue) -> String {
        let explanation = binding["explanation"] ?? .null
        var parts: [String] = []
        if let reason = explanation["reason"]?.stringValue, !reason.isEmpty {
            parts.append("reason: \(reason)")
        }
        if case .array(let moves) = explanation["moves"] ?? .null, !moves.isEmpty {
            let text = moves.map {
                "\(ResourceTables.text($0["from"]))->\(ResourceTables.text($0["to"])) \(ResourceTables.text($0["replicas"]))"
            }
            parts.append("moves: " + text.joined(separator: ", "))
        }
        if let summary = explanation["summary"]?.stringValue, !summary.isEmpty {
            parts.append("filtered: \(summary)")
        }
        if let pending = binding["pendingReplicas"]?.doubleValue, pending > 0 {
            parts.append("pending: \(Int(pending))")
        }
        return parts.joined(separator: "; ")
    }

    private static func pad(_ text: String, to width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }
}
