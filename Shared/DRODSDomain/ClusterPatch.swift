import DRODSCore

/// A validated JSON merge patch (RFC 7396) for a registered cluster. It may change the
/// endpoint, capabilities, provider, region, zone, labels, taints, prices and credentials. Patching
/// the name or the status is an error, because the name is the cluster's identity and the
/// status belongs to the server.
public struct ClusterPatch: Equatable, Sendable {
    public var endpoint: String?
    /// The whole new list; null in the patch clears it.
    public var capabilities: [String]?
    public var provider: FieldUpdate<String>?
    public var region: FieldUpdate<String>?
    public var zone: FieldUpdate<String>?
    /// `.set` merges per key, and a nil value removes that key; `.remove` clears all labels.
    public var labels: FieldUpdate<[String: String?]>?
    /// The whole new list; null in the patch clears it.
    public var taints: [ClusterTaint]?
    /// Both prices together; null in the patch removes them.
    public var pricePerHour: FieldUpdate<ClusterPrice>?
    public var credentials: FieldUpdate<ClusterCredentials>?

    public init(endpoint: String? = nil, capabilities: [String]? = nil,
                provider: FieldUpdate<String>? = nil, region: FieldUpdate<String>? = nil,
                zone: FieldUpdate<String>? = nil, labels: FieldUpdate<[String: String?]>? = nil,
                taints: [ClusterTaint]? = nil, pricePerHour: FieldUpdate<ClusterPrice>? = nil,
                credentials: FieldUpdate<ClusterCredentials>? = nil) {
        self.endpoint = endpoint
        self.capabilities = capabilities
        self.provider = provider
        self.region = region
        self.zone = zone
        self.labels = labels
        self.taints = taints
        self.pricePerHour = pricePerHour
        self.credentials = credentials
    }

    public static func validate(_ patch: JSONValue) throws -> ClusterPatch {
        let collector = ErrorCollector()
        guard let reader = ObjectReader.document(patch, collector: collector) else {
            throw collector.failure()
        }
        reader.rejectUnknownFields(allowed: Cluster.inputFields, ignored: ["status"])
        if reader.contains("name") {
            reader.reject("name", "cannot be changed because it identifies the cluster; "
                          + "register a new cluster instead")
        }
        if reader.contains("status") {
            reader.reject("status", "is set by the server and cannot be patched")
        }

        var result = ClusterPatch()
        if reader.members["endpoint"] == .null {
            reader.reject("endpoint", "cannot be removed because every cluster needs an endpoint")
        } else if let field = reader.optional("endpoint") {
            result.endpoint = Cluster.readEndpoint(field)
        }
        if reader.contains("capabilities") {
            result.capabilities = reader.optional("capabilities").flatMap(Cluster.readCapabilities) ?? []
        }
        result.provider = update(reader, "provider") { $0.dnsLabel() }
        result.region = update(reader, "region") { $0.dnsLabel() }
        result.zone = update(reader, "zone") { $0.dnsLabel() }
        result.labels = update(reader, "labels", read: readLabelChanges)
        if reader.contains("taints") {
            result.taints = reader.optional("taints").flatMap(ClusterTaint.readList) ?? []
        }
        result.pricePerHour = update(reader, "pricePerHour", read: ClusterPrice.read)
        result.credentials = update(reader, "credentials", read: ClusterCredentials.read)

        try collector.throwIfAny()
        return result
    }

    /// Returns the cluster with the patch applied. `sealCredentials` seals new credentials into
    /// the stored `encryptedCredentials`, and it is called only when the patch sets credentials.
    public func applied(to cluster: Cluster,
                        sealCredentials: (ClusterCredentials) throws -> String) rethrows -> Cluster {
        var result = cluster
        if let endpoint { result.endpoint = endpoint }
        if let capabilities { result.capabilities = capabilities }
        if let provider { result.provider = provider.applied(to: cluster.provider) }
        if let region { result.region = region.applied(to: cluster.region) }
        if let zone { result.zone = zone.applied(to: cluster.zone) }
        switch labels {
        case .none:
            break
        case .remove:
            result.labels = [:]
        case .set(let changes):
            for (key, value) in changes {
                result.labels[key] = value
            }
        }
        if let taints { result.taints = taints }
        if let pricePerHour { result.pricePerHour = pricePerHour.applied(to: cluster.pricePerHour) }
        switch credentials {
        case .none:
            break
        case .remove:
            result.encryptedCredentials = nil
        case .set(let newCredentials):
            result.encryptedCredentials = try sealCredentials(newCredentials)
        }
        return result
    }

    // MARK: - Reading

    /// Nil when the patch leaves the field out, `.remove` for null, `.set` for a valid value.
    /// An invalid value records its error and also yields nil.
    private static func update<Value>(_ reader: ObjectReader, _ key: String,
                                      read: (JSONField) -> Value?) -> FieldUpdate<Value>? {
        guard let raw = reader.members[key] else { return nil }
        if raw == .null { return .remove }
        guard let field = reader.optional(key), let value = read(field) else { return nil }
        return .set(value)
    }

    /// Label changes of a merge patch: a string sets the label, null removes it.
    private static func readLabelChanges(_ field: JSONField) -> [String: String?]? {
        guard let reader = field.object() else { return nil }
        var changes: [String: String?] = [:]
        var setLabels: [String: JSONValue] = [:]
        for (key, value) in reader.members {
            if value == .null {
                if let problem = NameSyntax.labelKeyProblem(key) {
                    reader.reject(key, problem)
                } else {
                    changes[key] = .some(nil)
                }
            } else {
                setLabels[key] = value
            }
        }
        let checked = JSONField(value: .object(setLabels), path: field.path,
                                collector: field.collector).labels() ?? [:]
        for (key, value) in checked {
            changes[key] = value
        }
        return changes
    }
}
