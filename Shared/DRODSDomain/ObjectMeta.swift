import DRODSCore

/// The `metadata` of a control plane policy object.
public struct ObjectMeta: Equatable, Hashable, Codable, Sendable {
    /// DNS-1123 label, unique per kind.
    public var name: String
    public var labels: [String: String]
    public var annotations: [String: String]

    /// Kubernetes' limit on the total size of all annotation keys and values, in bytes.
    public static let maxAnnotationBytes = 256 * 1024

    /// Fields that servers set and clients echo back from a read; ignored on input.
    static let serverSetFields: Set<String> = [
        "uid", "resourceVersion", "generation", "creationTimestamp", "managedFields",
    ]

    public init(name: String, labels: [String: String] = [:], annotations: [String: String] = [:]) {
        self.name = name
        self.labels = labels
        self.annotations = annotations
    }

    public func jsonValue() -> JSONValue {
        var members: [String: JSONValue] = ["name": .string(name)]
        if !labels.isEmpty { members["labels"] = .object(labels.mapValues(JSONValue.string)) }
        if !annotations.isEmpty {
            members["annotations"] = .object(annotations.mapValues(JSONValue.string))
        }
        return .object(members)
    }

    static func read(_ field: JSONField) -> ObjectMeta? {
        guard let reader = field.object() else { return nil }
        reader.rejectUnknownFields(allowed: ["name", "labels", "annotations"],
                                   ignored: serverSetFields)
        let name = reader.required("name")?.dnsLabel()
        let labels = reader.optional("labels")?.labels() ?? [:]
        let annotations = reader.optional("annotations").flatMap(readAnnotations) ?? [:]
        guard let name else { return nil }
        return ObjectMeta(name: name, labels: labels, annotations: annotations)
    }

    /// Annotations: label-syntax keys, any string values, at most 256 KiB in total.
    static func readAnnotations(_ field: JSONField) -> [String: String]? {
        guard let reader = field.object() else { return nil }
        var annotations: [String: String] = [:]
        var totalBytes = 0
        for key in reader.members.keys.sorted() {
            if let problem = NameSyntax.labelKeyProblem(key) {
                reader.reject(key, problem)
                continue
            }
            guard case .string(let value) = reader.members[key] else {
                reader.reject(key, "must be a string")
                continue
            }
            annotations[key] = value
            totalBytes += key.utf8.count + value.utf8.count
        }
        if totalBytes > maxAnnotationBytes {
            field.reject("must be at most \(maxAnnotationBytes) bytes of keys and values in total, "
                         + "got \(totalBytes)")
        }
        return annotations
    }
}
