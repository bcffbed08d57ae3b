import DRODSCore

/// The tables of `drods history`, one row per history entry.
public enum HistoryTables {
    public static func schedules(_ entries: [JSONValue]) -> TextTable {
        var table = TextTable(headers: ["TIME", "BINDING", "EVENT", "PHASE", "PLACEMENT", "DETAIL"])
        for entry in entries {
            table.append([ResourceTables.text(entry["time"]), ResourceTables.text(entry["bindingId"]),
                          ResourceTables.text(entry["event"]), ResourceTables.text(entry["phase"]),
                          ResourceTables.placement(entry["binding"]?["placement"]),
                          DecisionLine.detail(of: entry["binding"] ?? .null)])
        }
        return table
    }

    public static func failures(_ entries: [JSONValue]) -> TextTable {
        var table = TextTable(headers: ["TIME", "CLUSTER", "EVENT", "TYPE", "SEVERITY", "NODE", "MESSAGE"])
        for entry in entries {
            let details = entry["details"] ?? .null
            table.append([ResourceTables.text(entry["time"]), ResourceTables.text(entry["cluster"]),
                          ResourceTables.text(entry["event"]), ResourceTables.text(details["type"]),
                          ResourceTables.text(details["severity"]), ResourceTables.text(details["node"]),
                          ResourceTables.text(details["message"], empty: "")])
        }
        return table
    }
}
