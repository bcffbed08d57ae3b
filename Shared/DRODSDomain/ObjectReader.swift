import DRODSCore

/// A JSON object being validated: looks up members by key, reports missing and unknown ones,
/// and hands out `JSONField`s that carry the member's path.
struct ObjectReader {
    let members: [String: JSONValue]
    let path: String
    let collector: ErrorCollector

    /// Creates the reader of a whole input document, or records an error when it is not an object.
    static func document(_ input: JSONValue, collector: ErrorCollector) -> ObjectReader? {
        JSONField(value: input, path: "", collector: collector).object()
    }

    func path(of key: String) -> String {
        FieldPathText.appending(key, to: path)
    }

    func contains(_ key: String) -> Bool {
        members[key] != nil
    }

    /// Returns the member, or nil when it is absent or JSON null, because input documents may
    /// spell an unset optional field either way.
    func optional(_ key: String) -> JSONField? {
        guard let value = members[key], value != .null else { return nil }
        return JSONField(value: value, path: path(of: key), collector: collector)
    }

    func required(_ key: String) -> JSONField? {
        guard let field = optional(key) else {
            collector.add(path(of: key), "is required")
            return nil
        }
        return field
    }

    /// Records an error for every member not in `allowed` or `ignored`, so a misspelt optional
    /// field is reported rather than silently dropped.
    func rejectUnknownFields(allowed: [String], ignored: Set<String> = []) {
        let known = Set(allowed).union(ignored)
        for key in members.keys.sorted() where !known.contains(key) {
            collector.add(path(of: key),
                          "is not a known field; accepted fields: \(allowed.joined(separator: ", "))")
        }
    }

    func reject(_ key: String, _ message: String) {
        collector.add(path(of: key), message)
    }
}
