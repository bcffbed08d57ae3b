import DRODSCore
import Foundation

/// The text of `drods describe binding`: where the replicas are, why the scheduler chose
/// those clusters, and what happened to the binding so far.
public enum BindingDescription {
    /// The factors of a candidate's score in the order `Docs/scheduling.md` lists them.
    static let factors = ["availability", "balance", "network", "dataLocality", "cost", "preference"]

    /// Renders `binding` (the status document) and its `history` entries, oldest first.
    public static func render(binding: JSONValue, history: [JSONValue]) -> String {
        let request = binding["request"] ?? .null
        var lines: [String] = [
            "ID:            \(ResourceTables.text(binding["bindingId"]))",
            "Phase:         \(ResourceTables.text(binding["phase"]))",
            "Workload:      \(ResourceTables.workload(request["workload"]))",
            "Policy:        \(ResourceTables.text(request["policy"]))",
            "Replicas:      \(ResourceTables.text(request["replicas"])) requested, "
                + "\(ResourceTables.text(binding["pendingReplicas"], empty: "0")) pending",
            "Requested by:  \(ResourceTables.text(binding["requestedBy"]))",
            "Created:       \(ResourceTables.text(binding["createdAt"]))",
            "Updated:       \(ResourceTables.text(binding["updatedAt"]))",
        ]

        lines.append("Placement:")
        if case .object(let placement) = binding["placement"] ?? .null, !placement.isEmpty {
            var table = TextTable(headers: ["CLUSTER", "REPLICAS"])
            for cluster in placement.keys.sorted() {
                table.append([cluster, ResourceTables.text(placement[cluster])])
            }
            lines += indented(table.render())
        } else {
            lines.append("  <none>")
        }

        lines.append("Explanation:")
        lines += explanation(binding["explanation"] ?? .null)

        lines.append("Events:")
        if history.isEmpty {
            lines.append("  <none>")
        } else {
            var table = TextTable(headers: ["TIME", "EVENT", "PHASE", "PLACEMENT", "DETAIL"])
            for entry in history {
                table.append([ResourceTables.text(entry["time"]), ResourceTables.text(entry["event"]),
                              ResourceTables.text(entry["phase"]),
                              ResourceTables.placement(entry["binding"]?["placement"]),
                              DecisionLine.detail(of: entry["binding"] ?? .null)])
            }
            lines += indented(table.render())
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func explanation(_ explanation: JSONValue) -> [String] {
        guard explanation != .null else { return ["  <none>: the scheduler has not decided yet"] }
        var lines = [
            "  Outcome:     \(ResourceTables.text(explanation["outcome"]))",
            "  Fleet load:  \(number(explanation["fleetLoad"]))",
        ]
        if let reason = explanation["reason"]?.stringValue, !reason.isEmpty {
            lines.append("  Reason:      \(reason)")
        }
        if let summary = explanation["summary"]?.stringValue, !summary.isEmpty {
            lines.append("  Filtered:    \(summary)")
        }
        if case .object(let retained) = explanation["retained"] ?? .null, !retained.isEmpty {
            let text = retained.keys.sorted()
                .map { "\($0)=\(retained[$0]?.doubleValue.map { String(Int($0)) } ?? "-")" }.joined(separator: ", ")
            lines.append("  Retained:    \(text) (replicas that stay because nothing else fits)")
        }
        if let weights = explanation["weights"], weights != .null {
            let text = factors.map { "\($0) \(number(weights[$0]))" }.joined(separator: ", ")
            lines.append("  Weights:     \(text)")
        }
        if case .array(let scores) = explanation["scores"] ?? .null, !scores.isEmpty {
            lines.append("  Scores:")
            var table = TextTable(headers: ["CLUSTER", "TOTAL"] + factors.map { $0.uppercased() })
            let ranked = scores.sorted { ($0["total"]?.doubleValue ?? 0) > ($1["total"]?.doubleValue ?? 0) }
            for score in ranked {
                table.append([ResourceTables.text(score["cluster"]), number(score["total"])]
                             + factors.map { number(score["factors"]?[$0]) })
            }
            lines += indented(table.render(), by: "    ")
        }
        if case .array(let moves) = explanation["moves"] ?? .null, !moves.isEmpty {
            lines.append("  Moves:")
            for move in moves {
                lines.append("    \(ResourceTables.text(move["replicas"])) from "
                             + "\(ResourceTables.text(move["from"])) to \(ResourceTables.text(move["to"]))")
            }
        }
        return lines
    }

    /// Returns a score or weight with three decimals, `-` when absent.
    static func number(_ value: JSONValue?) -> String {
        guard let number = value?.doubleValue else { return "-" }
        return String(format: "%.3f", number)
    }

    static func indented(_ text: String, by prefix: String = "  ") -> [String] {
        text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map { prefix + $0 }
    }
}
