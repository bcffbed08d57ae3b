import DRODSCore
import Foundation

/// The objects of one simulated cluster and the verbs of the API on them. The type is a value
/// without locking, and `SimulatedCluster` serializes every access.
///
/// Every write takes the next value of one cluster-wide counter as the object's
/// `metadata.resourceVersion`, so versions grow across all kinds, as in Kubernetes.
struct ClusterState: Sendable {
    let spec: ClusterSpec
    /// Position of the cluster in the fleet, used to give clusters distinct IP ranges.
    let index: Int
    let behavior: ClusterBehavior

    private(set) var resourceVersion = 0
    /// Objects by resource plural, then by `namespace/name` or, for cluster-scoped kinds, `name`.
    var objects: [String: [String: JSONValue]] = [:]
    /// Creation order of pods, so that pending pods are placed first come, first served.
    var podSequence: [String: Int] = [:]
    /// When each bound pod becomes ready, and when each job pod succeeds.
    var podReadyAt: [String: Date] = [:]
    var podFinishAt: [String: Date] = [:]
    var nextPodSequence = 0
    var nextPodAddress = 0
    var nextServiceAddress = 0
    var nameCounter: UInt64 = 0

    /// Namespaces every cluster starts with; `default` and `kube-system` cannot be deleted.
    static let initialNamespaces = ["default", "kube-node-lease", "kube-public", "kube-system"]
    static let protectedNamespaces: Set<String> = ["default", "kube-system"]

    init(spec: ClusterSpec, index: Int, behavior: ClusterBehavior, now: Date) {
        self.spec = spec
        self.index = index
        self.behavior = behavior
        for name in Self.initialNamespaces {
            let namespace: JSONValue = .object([
                "metadata": .object(["name": .string(name)]),
                "status": .object(["phase": .string("Active")]),
            ])
            store(stamped(namespace, resource: .namespaces, now: now), resource: .namespaces, key: name)
        }
        for node in NodeFactory.nodes(for: spec, clusterIndex: index) {
            let name = node.value(at: ["metadata", "name"])?.stringValue ?? ""
            store(stamped(node, resource: .nodes, now: now), resource: .nodes, key: name)
        }
    }

    static func key(namespace: String?, name: String) -> String {
        guard let namespace else { return name }
        return "\(namespace)/\(name)"
    }

    // MARK: - Verbs

    func get(_ resource: ResourceType, namespace: String?, name: String) throws -> JSONValue {
        guard let object = objects[resource.plural]?[Self.key(namespace: namespace, name: name)] else {
            throw KubeStatus.notFound(resource, name: name)
        }
        return object
    }

    /// Returns a `<Kind>List` of the objects in `namespace`, or in every namespace when it is nil.
    func list(_ resource: ResourceType, namespace: String?, selector: LabelSelector?) -> JSONValue {
        let items = (objects[resource.plural] ?? [:])
            .filter { key, object in
                if let namespace, !key.hasPrefix(namespace + "/") { return false }
                guard let selector else { return true }
                return selector.matches(object.stringMap(at: ["metadata", "labels"]))
            }
            .sorted { $0.key < $1.key }
            .map(\.value)
        return .object([
            "apiVersion": .string(resource.apiVersion),
            "kind": .string(resource.kind + "List"),
            "metadata": .object(["resourceVersion": .string(String(resourceVersion))]),
            "items": .array(items),
        ])
    }

    mutating func create(_ resource: ResourceType, namespace: String?, body: JSONValue, now: Date) throws -> JSONValue {
        var object = try checkedBody(body, resource: resource, namespace: namespace)
        var name = object.value(at: ["metadata", "name"])?.stringValue ?? ""
        if name.isEmpty {
            guard let prefix = object.value(at: ["metadata", "generateName"])?.stringValue, !prefix.isEmpty else {
                throw KubeStatus.invalid(resource, name: "", "metadata.name or metadata.generateName is required")
            }
            name = uniqueName(prefix: prefix, resource: resource, namespace: namespace)
            object.set(.string(name), at: ["metadata", "name"])
        }
        try validateName(name, resource: resource)
        if let namespace, objects[ResourceType.namespaces.plural]?[namespace] == nil {
            throw KubeStatus(code: 404, reason: "NotFound", message: "namespaces \"\(namespace)\" not found",
                             details: ResourceType.namespaces.details(name: namespace))
        }
        let key = Self.key(namespace: namespace, name: name)
        guard objects[resource.plural]?[key] == nil else {
            throw KubeStatus.alreadyExists(resource, name: name)
        }
        try validateSpec(object, resource: resource, name: name)

        object = stamped(object, resource: resource, now: now)
        object = initialized(object, resource: resource)
        store(object, resource: resource, key: key)
        if resource == .pods {
            podSequence[key] = nextPodSequence
            nextPodSequence += 1
        }
        reconcile(now: now)
        return objects[resource.plural]?[key] ?? object
    }

    /// Replaces an object. A `metadata.resourceVersion` in the body must match the stored one,
    /// or the call fails with 409 Conflict; a body without one replaces unconditionally. The
    /// server keeps `uid`, `creationTimestamp` and `status`, and counts spec changes in
    /// `metadata.generation`.
    mutating func replace(_ resource: ResourceType, namespace: String?, name: String, body: JSONValue,
                          now: Date) throws -> JSONValue {
        var object = try checkedBody(body, resource: resource, namespace: namespace)
        let bodyName = object.value(at: ["metadata", "name"])?.stringValue
        guard bodyName == nil || bodyName == name else {
            throw KubeStatus.badRequest("the name of the object (\(bodyName!)) does not match the name on the URL (\(name))")
        }
        object.set(.string(name), at: ["metadata", "name"])
        let key = Self.key(namespace: namespace, name: name)
        guard let current = objects[resource.plural]?[key] else {
            throw KubeStatus.notFound(resource, name: name)
        }
        let currentVersion = current.value(at: ["metadata", "resourceVersion"])?.stringValue ?? ""
        if let sent = object.value(at: ["metadata", "resourceVersion"])?.stringValue, !sent.isEmpty,
           sent != currentVersion {
            throw KubeStatus.conflict(resource, name: name, sent: sent, current: currentVersion)
        }
        if resource == .pods, object["spec"] != current["spec"] {
            throw KubeStatus.invalid(resource, name: name,
                                     "spec: Forbidden: a pod update may change metadata only")
        }
        try validateSpec(object, resource: resource, name: name)

        for field in ["uid", "creationTimestamp", "generation"] {
            object.set(current.value(at: ["metadata", field]), at: ["metadata", field])
        }
        object.set(current["status"], at: ["status"])
        if resource == .services, object.value(at: ["spec", "clusterIP"]) == nil {
            object.set(current.value(at: ["spec", "clusterIP"]), at: ["spec", "clusterIP"])
        }
        if object["spec"] != current["spec"], let generation = current.value(at: ["metadata", "generation"])?.intValue {
            object.set(.number(Double(generation + 1)), at: ["metadata", "generation"])
        }
        store(object, resource: resource, key: key)
        reconcile(now: now)
        return objects[resource.plural]?[key] ?? object
    }

    /// Applies a JSON merge patch (RFC 7396) and stores the result as `replace` would. Strategic
    /// merge patches are applied the same way, which differs only for lists that Kubernetes
    /// merges by key, such as containers: here a patched list replaces the whole list.
    mutating func patch(_ resource: ResourceType, namespace: String?, name: String, patch: JSONValue,
                        now: Date) throws -> JSONValue {
        let current = try get(resource, namespace: namespace, name: name)
        let merged = JSONMergePatch.apply(patch, to: current)
        return try replace(resource, namespace: namespace, name: name, body: merged, now: now)
    }

    /// Deletes an object at once, without a grace period, and returns it. Deleting a namespace
    /// deletes everything in it, and deleting a workload deletes its pods.
    mutating func delete(_ resource: ResourceType, namespace: String?, name: String, now: Date) throws -> JSONValue {
        if resource == .namespaces, Self.protectedNamespaces.contains(name) {
            throw KubeStatus(code: 403, reason: "Forbidden",
                             message: "namespaces \"\(name)\" is forbidden: this namespace may not be deleted",
                             details: resource.details(name: name))
        }
        let key = Self.key(namespace: namespace, name: name)
        guard let object = objects[resource.plural]?[key] else {
            throw KubeStatus.notFound(resource, name: name)
        }
        remove(resource: resource, key: key)
        if resource == .namespaces {
            for namespaced in ResourceType.all where namespaced.namespaced {
                for objectKey in (objects[namespaced.plural] ?? [:]).keys where objectKey.hasPrefix(name + "/") {
                    remove(resource: namespaced, key: objectKey)
                }
            }
        }
        if let uid = object.value(at: ["metadata", "uid"])?.stringValue {
            for (podKey, pod) in objects[ResourceType.pods.plural] ?? [:] where Self.ownerUID(of: pod) == uid {
                remove(resource: .pods, key: podKey)
            }
        }
        // Bump the counter so that a list after the delete reports a newer version.
        resourceVersion += 1
        reconcile(now: now)
        return object
    }

    // MARK: - Storage

    /// Stores `object` under the next resourceVersion.
    mutating func store(_ object: JSONValue, resource: ResourceType, key: String) {
        resourceVersion += 1
        var updated = object
        updated.set(.string(String(resourceVersion)), at: ["metadata", "resourceVersion"])
        objects[resource.plural, default: [:]][key] = updated
    }

    mutating func remove(resource: ResourceType, key: String) {
        objects[resource.plural]?[key] = nil
        if resource == .pods {
            podSequence[key] = nil
            podReadyAt[key] = nil
            podFinishAt[key] = nil
        }
    }

    /// Sets the server-owned metadata of a new object.
    func stamped(_ object: JSONValue, resource: ResourceType, now: Date) -> JSONValue {
        var result = object
        result.set(.string(resource.apiVersion), at: ["apiVersion"])
        result.set(.string(resource.kind), at: ["kind"])
        result.set(.string(UUID().uuidString.lowercased()), at: ["metadata", "uid"])
        result.set(.string(KubeTime.format(now)), at: ["metadata", "creationTimestamp"])
        if [.deployments, .statefulSets, .jobs].contains(resource) {
            result.set(.number(1), at: ["metadata", "generation"])
        }
        return result
    }

    /// Fills the fields the API server or its admission plugins would set on creation.
    mutating func initialized(_ object: JSONValue, resource: ResourceType) -> JSONValue {
        var result = object
        switch resource {
        case .namespaces:
            result.set(.object(["phase": .string("Active")]), at: ["status"])
        case .pods:
            result.set(.object(["phase": .string("Pending")]), at: ["status"])
        case .services:
            if result.value(at: ["spec", "type"]) == nil {
                result.set(.string("ClusterIP"), at: ["spec", "type"])
            }
            if result.value(at: ["spec", "clusterIP"]) == nil {
                nextServiceAddress += 1
                let address = "10.\(96 + index % 32).\(nextServiceAddress / 250 % 250).\(nextServiceAddress % 250 + 1)"
                result.set(.string(address), at: ["spec", "clusterIP"])
            }
        case .deployments, .statefulSets:
            if result.value(at: ["spec", "replicas"]) == nil {
                result.set(.number(1), at: ["spec", "replicas"])
            }
            result.set(.object([:]), at: ["status"])
        case .jobs:
            result.set(.object([:]), at: ["status"])
        default:
            break
        }
        return result
    }

    /// Returns a name made of `prefix` and five characters that no object of the kind uses yet.
    mutating func uniqueName(prefix: String, resource: ResourceType, namespace: String?) -> String {
        // Consonants and digits only, so that generated suffixes never spell words.
        let alphabet = Array("bcdfghjklmnpqrstvwxz2456789")
        while true {
            nameCounter += 1
            var bits = StableHash.hash("\(spec.name)/\(prefix)", seed: nameCounter)
            var suffix = ""
            for _ in 0..<5 {
                suffix.append(alphabet[Int(bits % UInt64(alphabet.count))])
                bits /= UInt64(alphabet.count)
            }
            let name = prefix + suffix
            if objects[resource.plural]?[Self.key(namespace: namespace, name: name)] == nil {
                return name
            }
        }
    }

    static func ownerUID(of object: JSONValue) -> String? {
        guard let owners = object.value(at: ["metadata", "ownerReferences"])?.arrayValue else { return nil }
        let controller = owners.first { $0["controller"] == .bool(true) } ?? owners.first
        return controller?["uid"]?.stringValue
    }

    // MARK: - Validation

    /// Checks the parts of a request body that do not depend on the stored object.
    private func checkedBody(_ body: JSONValue, resource: ResourceType, namespace: String?) throws -> JSONValue {
        guard case .object = body else {
            throw KubeStatus.badRequest("the request body must be a JSON object of kind \(resource.kind)")
        }
        if let kind = body["kind"]?.stringValue, kind != resource.kind {
            throw KubeStatus.badRequest("the body has kind \(kind), but \(resource.qualifiedName) expects \(resource.kind)")
        }
        if let apiVersion = body["apiVersion"]?.stringValue, apiVersion != resource.apiVersion {
            throw KubeStatus.badRequest("the body has apiVersion \(apiVersion), but \(resource.qualifiedName) "
                                            + "expects \(resource.apiVersion)")
        }
        var object = body
        if let metadata = body["metadata"], metadata.objectValue == nil {
            throw KubeStatus.badRequest("metadata must be an object")
        }
        let bodyNamespace = body.value(at: ["metadata", "namespace"])?.stringValue
        if let namespace {
            if let bodyNamespace, !bodyNamespace.isEmpty, bodyNamespace != namespace {
                throw KubeStatus.badRequest("the namespace of the object (\(bodyNamespace)) does not match "
                                                + "the namespace on the request (\(namespace))")
            }
            object.set(.string(namespace), at: ["metadata", "namespace"])
        } else {
            object.set(nil, at: ["metadata", "namespace"])
        }
        return object
    }

    private func validateName(_ name: String, resource: ResourceType) throws {
        let labelOnly = resource == .namespaces || resource == .services
        let valid = labelOnly ? DNSName.isLabel(name) : DNSName.isSubdomain(name)
        guard valid else {
            let rule = labelOnly ? "a DNS-1123 label" : "a DNS-1123 subdomain"
            throw KubeStatus.invalid(resource, name: name,
                                     "metadata.name: must be \(rule) (lower-case letters, digits, '-' and "
                                         + (labelOnly ? "" : "'.', ") + "starting and ending with a letter or digit)")
        }
    }

    private func validateSpec(_ object: JSONValue, resource: ResourceType, name: String) throws {
        let podSpecPath: [String]
        switch resource {
        case .pods: podSpecPath = ["spec"]
        case .deployments, .statefulSets, .jobs: podSpecPath = ["spec", "template", "spec"]
        default: return
        }
        guard let containers = object.value(at: podSpecPath + ["containers"])?.arrayValue, !containers.isEmpty else {
            throw KubeStatus.invalid(resource, name: name,
                                     "\(podSpecPath.joined(separator: ".")).containers: Required value")
        }
        for (position, container) in containers.enumerated() where container["name"]?.stringValue == nil {
            throw KubeStatus.invalid(resource, name: name,
                                     "\(podSpecPath.joined(separator: ".")).containers[\(position)].name: Required value")
        }
        for field in ["replicas", "completions", "parallelism"] {
            guard let value = object.value(at: ["spec", field]), value != .null else { continue }
            guard let count = value.intValue, count >= 0 else {
                throw KubeStatus.invalid(resource, name: name, "spec.\(field): must be a non-negative integer")
            }
        }
    }
}
