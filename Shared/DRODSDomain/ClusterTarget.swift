import DRODSCore

/// One entry of a placement policy's `targetClusters`: clusters picked by name, or by labels.
///
/// A `name` entry allows any of the listed clusters. A `label` entry lists `key=value` pairs
/// and allows a cluster that carries all of them, like a Kubernetes `matchLabels`.
public struct ClusterTarget: Equatable, Hashable, Codable, Sendable {
    public enum SelectorType: String, CaseIterable, Codable, Sendable {
        case name
        case label
    }

    public var selectorType: SelectorType
    /// Cluster names, or `key=value` label pairs.
    public var values: [String]

    public init(selectorType: SelectorType, values: [String]) {
        self.selectorType = selectorType
        self.values = values
    }

    /// Returns whether the entry allows `cluster`.
    public func allows(_ cluster: Cluster) -> Bool {
        switch selectorType {
        case .name:
            return values.contains(cluster.name)
        case .label:
            return values.allSatisfy { pair in
                guard let (key, value) = Self.splitLabelPair(pair) else { return false }
                return cluster.labels[key] == value
            }
        }
    }

    public func jsonValue() -> JSONValue {
        .object(["selectorType": .string(selectorType.rawValue),
                 "values": .array(values.map(JSONValue.string))])
    }

    static func splitLabelPair(_ pair: String) -> (key: String, value: String)? {
        guard let separator = pair.firstIndex(of: "=") else { return nil }
        return (String(pair[..<separator]), String(pair[pair.index(after: separator)...]))
    }

    // MARK: - Validation

    static func read(_ field: JSONField) -> ClusterTarget? {
        guard let reader = field.object() else { return nil }
        reader.rejectUnknownFields(allowed: ["selectorType", "values"])
        let selectorType = reader.required("selectorType")?.enumeration(SelectorType.self)
        guard let valuesField = reader.required("values"), let selectorType else { return nil }

        let values: [String]?
        switch selectorType {
        case .name:
            values = valuesField.uniqueArray(allowEmpty: false) { $0.dnsLabel() }
        case .label:
            values = readLabelPairs(valuesField)
        }
        guard let values else { return nil }
        return ClusterTarget(selectorType: selectorType, values: values)
    }

    private static func readLabelPairs(_ field: JSONField) -> [String]? {
        var keys: Set<String> = []
        return field.uniqueArray(allowEmpty: false) { entry -> String? in
            guard let text = entry.string() else { return nil }
            guard let (key, value) = splitLabelPair(text), NameSyntax.labelKeyProblem(key) == nil,
                  NameSyntax.isLabelValue(value) else {
                entry.reject("must be key=value with a label key and a label value, "
                             + "such as region=us-east")
                return nil
            }
            guard keys.insert(key).inserted else {
                entry.reject("repeats the label key \"\(key)\", which no cluster can match twice")
                return nil
            }
            return text
        }
    }
}
