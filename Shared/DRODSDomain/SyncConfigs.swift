import DRODSCore

/// A cluster's configuration objects (`PUT /api/v1/sync/configs`), replacing what the agent
/// reported before.
public struct SyncConfigs: Equatable, Codable, Sendable {
    public struct Entry: Equatable, Codable, Sendable {
        public var kind: String
        public var namespace: String?
        public var name: String
        /// The object's configuration, any JSON.
        public var data: JSONValue

        public init(kind: String, namespace: String? = nil, name: String, data: JSONValue) {
            self.kind = kind
            self.namespace = namespace
            self.name = name
            self.data = data
        }

        public func jsonValue() -> JSONValue {
            var members: [String: JSONValue] = ["kind": .string(kind), "name": .string(name), "data": data]
            if let namespace { members["namespace"] = .string(namespace) }
            return .object(members)
        }
    }

    public static let maxConfigs = 1000

    public var cluster: String
    public var configs: [Entry]

    public init(cluster: String, configs: [Entry]) {
        self.cluster = cluster
        self.configs = configs
    }

    public static func validate(_ input: JSONValue) throws -> SyncConfigs {
        let collector = ErrorCollector()
        guard let reader = ObjectReader.document(input, collector: collector) else {
            throw collector.failure()
        }
        reader.rejectUnknownFields(allowed: ["cluster", "configs"])
        let cluster = reader.required("cluster")?.dnsLabel()

        var configs: [Entry] = []
        if let field = reader.required("configs") {
            if case .array(let elements) = field.value, elements.count > maxConfigs {
                field.reject("must have at most \(maxConfigs) configs per request, got \(elements.count)")
            } else if let entries = field.array() {
                var seen: Set<SyncedObjectKey> = []
                for entry in entries {
                    guard let object = entry.object() else { continue }
                    object.rejectUnknownFields(allowed: ["kind", "namespace", "name", "data"])
                    let key = SyncedObjectKey.read(object)
                    if !object.contains("data") {
                        object.reject("data", "is required")
                    }
                    guard let key, let data = object.members["data"] else { continue }
                    guard seen.insert(key).inserted else {
                        entry.reject("repeats \(key.kind) \(key.name); each object may appear once")
                        continue
                    }
                    configs.append(Entry(kind: key.kind, namespace: key.namespace, name: key.name, data: data))
                }
            }
        }

        guard collector.isEmpty, let cluster else { throw collector.failure() }
        return SyncConfigs(cluster: cluster, configs: configs)
    }

    public func jsonValue() -> JSONValue {
        .object(["cluster": .string(cluster), "configs": .array(configs.map { $0.jsonValue() })])
    }
}
