import DRODSCore

/// Identifies a workload by kind, namespace and name.
public struct WorkloadReference: Equatable, Hashable, Codable, Sendable, CustomStringConvertible {
    public var kind: WorkloadKind
    public var namespace: String
    public var name: String

    public init(kind: WorkloadKind, namespace: String, name: String) {
        self.kind = kind
        self.namespace = namespace
        self.name = name
    }

    /// `kind/namespace/name`, such as `Deployment/default/webapp`. Unique because namespaces
    /// are DNS-1123 labels and names DNS-1123 subdomains, neither of which contains `/`.
    public var key: String { "\(kind.rawValue)/\(namespace)/\(name)" }

    public var description: String { key }

    public func jsonValue() -> JSONValue {
        .object(["kind": .string(kind.rawValue), "namespace": .string(namespace), "name": .string(name)])
    }

    /// Reads `{kind, namespace?, name}`; the namespace defaults to `default`.
    static func read(_ field: JSONField) -> WorkloadReference? {
        guard let reader = field.object() else { return nil }
        reader.rejectUnknownFields(allowed: ["kind", "namespace", "name"])
        let kind = reader.required("kind")?.enumeration(WorkloadKind.self)
        let namespace = reader.optional("namespace")?.dnsLabel() ?? Workload.defaultNamespace
        let name = reader.required("name")?.dnsSubdomain()
        guard let kind, let name else { return nil }
        return WorkloadReference(kind: kind, namespace: namespace, name: name)
    }
}
