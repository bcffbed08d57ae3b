import DRODSCore

/// The status of many objects of one cluster (`POST /api/v1/sync/batch`). The request is
/// accepted or rejected as a whole.
public struct SyncBatch: Equatable, Codable, Sendable {
    public struct Object: Equatable, Codable, Sendable {
        public var kind: String
        public var namespace: String?
        public var name: String
        /// The member cluster's `metadata.resourceVersion`, to drop stale updates.
        public var resourceVersion: String?
        /// The object's `status`, any JSON object.
        public var status: JSONValue

        public init(kind: String, namespace: String? = nil, name: String,
                    resourceVersion: String? = nil, status: JSONValue) {
            self.kind = kind
            self.namespace = namespace
            self.name = name
            self.resourceVersion = resourceVersion
            self.status = status
        }

        public func jsonValue() -> JSONValue {
            var members: [String: JSONValue] = ["kind": .string(kind), "name": .string(name), "status": status]
            if let namespace { members["namespace"] = .string(namespace) }
            if let resourceVersion { members["resourceVersion"] = .string(resourceVersion) }
            return .object(members)
        }
    }

    /// The draft's limit on objects per request.
    public static let maxObjects = 1000

    public var cluster: String
    public var objects: [Object]

    public init(cluster: String, objects: [Object]) {
        self.cluster = cluster
        self.objects = objects
    }

    public static func validate(_ input: JSONValue) throws -> SyncBatch {
        let collector = ErrorCollector()
        guard let reader = ObjectReader.document(input, collector: collector) else {
            throw collector.failure()
        }
        reader.rejectUnknownFields(allowed: ["cluster", "objects"])
        let cluster = reader.required("cluster")?.dnsLabel()

        var objects: [Object] = []
        if let field = reader.required("objects") {
            // An oversized batch is rejected without reading its entries: the sender must split
            // it anyway, and validating the surplus would only cost time.
            if case .array(let elements) = field.value, elements.count > maxObjects {
                field.reject("must have at most \(maxObjects) objects per request, got \(elements.count)")
            } else if let entries = field.array() {
                objects = readObjects(entries)
            }
        }

        guard collector.isEmpty, let cluster else { throw collector.failure() }
        return SyncBatch(cluster: cluster, objects: objects)
    }

    public func jsonValue() -> JSONValue {
        .object(["cluster": .string(cluster), "objects": .array(objects.map { $0.jsonValue() })])
    }

    private static func readObjects(_ entries: [JSONField]) -> [Object] {
        var objects: [Object] = []
        var seen: Set<SyncedObjectKey> = []
        for entry in entries {
            guard let reader = entry.object() else { continue }
            reader.rejectUnknownFields(allowed: ["kind", "namespace", "name", "resourceVersion", "status"])
            let key = SyncedObjectKey.read(reader)
            let resourceVersion = reader.optional("resourceVersion")?.string(maxLength: 128)
            let status = reader.required("status")?.object().map { JSONValue.object($0.members) }
            guard let key, let status else { continue }
            guard seen.insert(key).inserted else {
                entry.reject("repeats \(key.kind) \(key.name); each object may appear once per batch")
                continue
            }
            objects.append(Object(kind: key.kind, namespace: key.namespace, name: key.name,
                                  resourceVersion: resourceVersion, status: status))
        }
        return objects
    }
}
