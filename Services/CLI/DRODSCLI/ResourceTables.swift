import DRODSCore
import Foundation

/// The table `drods get` prints for each resource type. The narrow table fits a terminal;
/// `wide` adds the columns that help when comparing resources.
public enum ResourceTables {
    public static func table(_ type: ResourceType, items: [JSONValue], wide: Bool, now: Date = Date()) -> TextTable {
        switch type {
        case .clusters: clusters(items, wide: wide, now: now)
        case .propagationpolicies: propagationPolicies(items, wide: wide, now: now)
        case .placementpolicies: placementPolicies(items, wide: wide, now: now)
        case .overridepolicies: overridePolicies(items, wide: wide, now: now)
        case .workloads: workloads(items, wide: wide, now: now)
        case .bindings: bindings(items, wide: wide, now: now)
        }
    }

    static func clusters(_ items: [JSONValue], wide: Bool, now: Date) -> TextTable {
        var headers = ["NAME", "PROVIDER", "REGION", "STATUS", "AGE"]
        if wide { headers += ["ZONE", "ENDPOINT", "CAPABILITIES", "TAINTS", "LABELS"] }
        var table = TextTable(headers: headers)
        for item in items {
            var row = [text(item["name"]), text(item["provider"]), text(item["region"]),
                       text(item["status"]?["phase"]), DurationText.age(since: item["createdAt"]?.stringValue, now: now)]
            if wide {
                row += [text(item["zone"]), text(item["endpoint"]), list(item["capabilities"]),
                        taints(item["taints"]), pairs(item["labels"])]
            }
            table.append(row)
        }
        return table
    }

    static func propagationPolicies(_ items: [JSONValue], wide: Bool, now: Date) -> TextTable {
        var headers = ["NAME", "RESOURCE-TYPE", "NAMESPACE", "TARGETS", "PRIORITY", "AGE"]
        if wide { headers += ["RESOURCE-NAMES", "LABEL-SELECTOR", "SCHEDULING"] }
        var table = TextTable(headers: headers)
        for item in items {
            var row = [text(item["name"]), text(item["resourceType"]), text(item["namespace"], empty: "*"),
                       list(item["targetClusters"], empty: "*"), text(item["priority"]),
                       DurationText.age(since: item["createdAt"]?.stringValue, now: now)]
            if wide {
                row += [list(item["resourceNames"], empty: "*"), pairs(item["labelSelector"]), compact(item["scheduling"])]
            }
            table.append(row)
        }
        return table
    }

    static func placementPolicies(_ items: [JSONValue], wide: Bool, now: Date) -> TextTable {
        var headers = ["NAME", "SELECTS", "TARGETS", "PRIORITY", "AGE"]
        if wide { headers += ["MATCH-LABELS", "SCHEDULING"] }
        var table = TextTable(headers: headers)
        for item in items {
            let spec = item["spec"] ?? .null
            var targets: [String] = []
            if case .array(let clusterTargets) = spec["targetClusters"] ?? .null {
                targets = clusterTargets.map { "\(text($0["selectorType"])):\(list($0["values"]))" }
            }
            var row = [text(item["metadata"]?["name"]), selector(spec["resourceSelector"]),
                       targets.isEmpty ? "*" : targets.joined(separator: " "), text(spec["priority"]),
                       DurationText.age(since: item["metadata"]?["creationTimestamp"]?.stringValue, now: now)]
            if wide { row += [pairs(spec["resourceSelector"]?["matchLabels"]), compact(spec["scheduling"])] }
            table.append(row)
        }
        return table
    }

    static func overridePolicies(_ items: [JSONValue], wide: Bool, now: Date) -> TextTable {
        var headers = ["NAME", "SELECTS", "OVERRIDES", "AGE"]
        if wide { headers += ["CLUSTER-SELECTORS"] }
        var table = TextTable(headers: headers)
        for item in items {
            let spec = item["spec"] ?? .null
            var overrides: [JSONValue] = []
            if case .array(let all) = spec["overrides"] ?? .null { overrides = all }
            var row = [text(item["metadata"]?["name"]), selector(spec["resourceSelector"]), String(overrides.count),
                       DurationText.age(since: item["metadata"]?["creationTimestamp"]?.stringValue, now: now)]
            if wide { row += [overrides.map { compact($0["clusterSelector"]) }.joined(separator: " ")] }
            table.append(row)
        }
        return table
    }

    static func workloads(_ items: [JSONValue], wide: Bool, now: Date) -> TextTable {
        var headers = ["NAMESPACE", "KIND", "NAME", "REPLICAS", "AGE"]
        if wide { headers += ["IMAGES", "LABELS"] }
        var table = TextTable(headers: headers)
        for item in items {
            let metadata = item["metadata"] ?? .null
            let spec = item["spec"] ?? .null
            // A Job sets how many pods run at once in `parallelism`, the other kinds in `replicas`.
            let replicas = spec["replicas"] ?? spec["parallelism"]
            var row = [text(metadata["namespace"], empty: "default"), text(item["kind"]), text(metadata["name"]),
                       text(replicas), DurationText.age(since: metadata["creationTimestamp"]?.stringValue, now: now)]
            if wide { row += [images(spec), pairs(metadata["labels"])] }
            table.append(row)
        }
        return table
    }

    static func bindings(_ items: [JSONValue], wide: Bool, now: Date) -> TextTable {
        var headers = ["ID", "PHASE", "PLACEMENT", "PENDING"]
        if wide { headers += ["REPLICAS", "WORKLOAD", "POLICY", "AGE", "UPDATED"] }
        var table = TextTable(headers: headers)
        for item in items {
            var row = [text(item["bindingId"]), text(item["phase"]), placement(item["placement"]),
                       text(item["pendingReplicas"], empty: "0")]
            if wide {
                let request = item["request"] ?? .null
                row += [text(request["replicas"]), workload(request["workload"]), text(request["policy"]),
                        DurationText.age(since: item["createdAt"]?.stringValue, now: now),
                        DurationText.age(since: item["updatedAt"]?.stringValue, now: now)]
            }
            table.append(row)
        }
        return table
    }

    // MARK: - Cells

    /// Returns a scalar as text; `empty` (default `<none>`) for a missing or null value.
    public static func text(_ value: JSONValue?, empty: String = "<none>") -> String {
        switch value ?? .null {
        case .null: return empty
        case .string(let string): return string.isEmpty ? empty : string
        case .bool(let bool): return String(bool)
        case .number(let number): return number.rounded() == number && abs(number) < 1e15
            ? String(Int64(number)) : String(number)
        case .array, .object: return compact(value)
        }
    }

    /// Returns the replicas per cluster as `aws-east=3,aws-west=2`, sorted by cluster name.
    public static func placement(_ value: JSONValue?) -> String {
        guard case .object(let members) = value ?? .null, !members.isEmpty else { return "<none>" }
        return members.keys.sorted().map { "\($0)=\(text(members[$0]))" }.joined(separator: ",")
    }

    static func list(_ value: JSONValue?, empty: String = "<none>") -> String {
        guard case .array(let items) = value ?? .null, !items.isEmpty else { return empty }
        return items.map { text($0) }.joined(separator: ",")
    }

    static func pairs(_ value: JSONValue?) -> String {
        guard case .object(let members) = value ?? .null, !members.isEmpty else { return "<none>" }
        return members.keys.sorted().map { "\($0)=\(text(members[$0]))" }.joined(separator: ",")
    }

    static func taints(_ value: JSONValue?) -> String {
        guard case .array(let items) = value ?? .null, !items.isEmpty else { return "<none>" }
        return items.map { "\(text($0["key"]))=\(text($0["value"], empty: "")):\(text($0["effect"]))" }
            .joined(separator: ",")
    }

    static func selector(_ value: JSONValue?) -> String {
        guard let value, value != .null else { return "<none>" }
        let namespace = text(value["namespace"], empty: "*")
        let name = text(value["name"], empty: "*")
        return "\(text(value["kind"]))/\(namespace)/\(name)"
    }

    static func workload(_ value: JSONValue?) -> String {
        guard let value, value != .null else { return "<none>" }
        return "\(text(value["kind"]))/\(text(value["namespace"], empty: "default"))/\(text(value["name"]))"
    }

    static func images(_ spec: JSONValue) -> String {
        guard case .array(let containers) = spec["template"]?["spec"]?["containers"] ?? .null else { return "<none>" }
        let names = containers.compactMap { $0["image"]?.stringValue }
        return names.isEmpty ? "<none>" : names.joined(separator: ",")
    }

    /// Returns a value as one line of JSON with sorted keys.
    static func compact(_ value: JSONValue?) -> String {
        guard let value, value != .null, let data = try? WireJSON.encode(value) else { return "<none>" }
        return String(decoding: data, as: UTF8.self)
    }
}
