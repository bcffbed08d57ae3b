import DRODSCore

/// A taint on a member cluster: workloads are kept away unless they tolerate it, with the
/// effects of Kubernetes node taints.
public struct ClusterTaint: Equatable, Hashable, Codable, Sendable {
    public enum Effect: String, CaseIterable, Codable, Sendable {
        case noSchedule = "NoSchedule"
        case preferNoSchedule = "PreferNoSchedule"
        case noExecute = "NoExecute"
    }

    /// Label-key syntax.
    public var key: String
    /// Label-value syntax; nil when the taint has no value.
    public var value: String?
    public var effect: Effect

    public init(key: String, value: String? = nil, effect: Effect) {
        self.key = key
        self.value = value
        self.effect = effect
    }

    public func jsonValue() -> JSONValue {
        var members: [String: JSONValue] = ["key": .string(key), "effect": .string(effect.rawValue)]
        if let value { members["value"] = .string(value) }
        return .object(members)
    }

    // MARK: - Validation

    static func read(_ field: JSONField) -> ClusterTaint? {
        guard let reader = field.object() else { return nil }
        reader.rejectUnknownFields(allowed: ["key", "value", "effect"])

        var key: String?
        if let keyField = reader.required("key"), let text = keyField.string() {
            if let problem = NameSyntax.labelKeyProblem(text) {
                keyField.reject(problem)
            } else {
                key = text
            }
        }
        var value: String?
        if let valueField = reader.optional("value"), let text = valueField.string(allowEmpty: true) {
            if NameSyntax.isLabelValue(text) {
                value = text.isEmpty ? nil : text
            } else {
                valueField.reject(NameSyntax.labelValueMessage)
            }
        }
        let effect = reader.required("effect")?.enumeration(Effect.self)

        guard let key, let effect else { return nil }
        return ClusterTaint(key: key, value: value, effect: effect)
    }

    /// Reads a taint list; two taints with the same key and effect are rejected, as Kubernetes
    /// does for nodes.
    static func readList(_ field: JSONField) -> [ClusterTaint]? {
        guard let fields = field.array() else { return nil }
        var taints: [ClusterTaint] = []
        var seen: Set<String> = []
        for entry in fields {
            guard let taint = read(entry) else { continue }
            if seen.insert("\(taint.key)\u{0}\(taint.effect.rawValue)").inserted {
                taints.append(taint)
            } else {
                entry.reject("repeats the key \"\(taint.key)\" with effect \(taint.effect.rawValue); "
                             + "each key and effect may appear once")
            }
        }
        return taints
    }
}
