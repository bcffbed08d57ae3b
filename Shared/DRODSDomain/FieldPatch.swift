import DRODSCore

/// One change of an override: the value to place at a field path of the workload manifest.
public struct FieldPatch: Equatable, Hashable, Codable, Sendable {
    /// A `FieldPath` in canonical text, such as `spec.template.spec.containers[0].image`.
    public var path: String
    /// Any JSON value, including null.
    public var value: JSONValue

    public init(path: String, value: JSONValue) {
        self.path = path
        self.value = value
    }

    public func jsonValue() -> JSONValue {
        .object(["path": .string(path), "value": value])
    }

    static func read(_ field: JSONField) -> FieldPatch? {
        guard let reader = field.object() else { return nil }
        reader.rejectUnknownFields(allowed: ["path", "value"])
        if !reader.contains("value") {
            reader.reject("value", "is required; use null to set a field to null")
        }
        guard let pathField = reader.required("path"), let text = pathField.string() else { return nil }

        let parsed: FieldPath
        do {
            parsed = try FieldPath.parse(text)
        } catch let error as FieldPathError {
            pathField.reject("must be a field path such as spec.template.spec.containers[0].image: "
                             + "\(error.message) at position \(error.position ?? 1)")
            return nil
        } catch {
            pathField.reject("must be a field path such as spec.template.spec.containers[0].image")
            return nil
        }
        if let problem = protectedPathProblem(parsed) {
            pathField.reject(problem)
            return nil
        }
        guard let value = reader.members["value"] else { return nil }
        return FieldPatch(path: parsed.description, value: value)
    }

    /// Overrides may not change what identifies the object, or its status, because the
    /// control plane tracks the object in every cluster by kind, namespace and name.
    private static func protectedPathProblem(_ path: FieldPath) -> String? {
        let message = "must not change apiVersion, kind, metadata.name, metadata.namespace or "
            + "status, which identify the object or belong to the member cluster"
        switch path.segments.first {
        case .key("apiVersion"), .key("kind"), .key("status"):
            return message
        case .key("metadata"):
            if path.segments.count == 1 { return message }
            if path.segments[1] == .key("name") || path.segments[1] == .key("namespace") {
                return message
            }
            return nil
        default:
            return nil
        }
    }
}
