import DRODSCore

/// The workload filter of a placement or override policy. Every given criterion must hold,
/// and an absent `name` or `namespace` or an empty `matchLabels` does not restrict.
public struct ResourceSelector: Equatable, Hashable, Codable, Sendable {
    public var kind: WorkloadKind
    /// The apiVersion the selector names; always `kind.apiVersion` after validation.
    public var apiVersion: String
    public var name: String?
    public var namespace: String?
    /// `labelSelector.matchLabels`: labels the workload must all carry.
    public var matchLabels: [String: String]

    public init(kind: WorkloadKind, name: String? = nil, namespace: String? = nil,
                matchLabels: [String: String] = [:]) {
        self.kind = kind
        self.apiVersion = kind.apiVersion
        self.name = name
        self.namespace = namespace
        self.matchLabels = matchLabels
    }

    /// Returns whether the selector picks `workload`.
    public func matches(_ workload: Workload) -> Bool {
        guard workload.kind == kind, workload.apiVersion == apiVersion else { return false }
        if let name, workload.name != name { return false }
        if let namespace, workload.namespace != namespace { return false }
        return matchLabels.allSatisfy { workload.labels[$0.key] == $0.value }
    }

    public func jsonValue() -> JSONValue {
        var members: [String: JSONValue] = [
            "apiVersion": .string(apiVersion),
            "kind": .string(kind.rawValue),
        ]
        if let name { members["name"] = .string(name) }
        if let namespace { members["namespace"] = .string(namespace) }
        if !matchLabels.isEmpty {
            members["labelSelector"] = .object(["matchLabels": .object(matchLabels.mapValues(JSONValue.string))])
        }
        return .object(members)
    }

    static func read(_ field: JSONField) -> ResourceSelector? {
        guard let reader = field.object() else { return nil }
        reader.rejectUnknownFields(allowed: ["apiVersion", "kind", "name", "namespace", "labelSelector"])

        let kind = reader.required("kind")?.enumeration(WorkloadKind.self)
        if let apiVersionField = reader.required("apiVersion"),
           let apiVersion = apiVersionField.string(), let kind, apiVersion != kind.apiVersion {
            apiVersionField.reject("must be \(kind.apiVersion) for kind \(kind.rawValue), got \(apiVersion)")
        }
        let name = reader.optional("name")?.dnsSubdomain()
        let namespace = reader.optional("namespace")?.dnsLabel()
        var matchLabels: [String: String] = [:]
        if let selector = reader.optional("labelSelector")?.object() {
            selector.rejectUnknownFields(allowed: ["matchLabels"])
            matchLabels = selector.optional("matchLabels")?.labels() ?? [:]
        }

        guard let kind else { return nil }
        return ResourceSelector(kind: kind, name: name, namespace: namespace, matchLabels: matchLabels)
    }
}
