import DRODSCore

/// Nested reads and writes on `JSONValue` objects by key path, for editing Kubernetes objects.
extension JSONValue {
    var objectValue: [String: JSONValue]? {
        if case .object(let members) = self { return members }
        return nil
    }

    var arrayValue: [JSONValue]? {
        if case .array(let items) = self { return items }
        return nil
    }

    /// The number as an `Int` when it is whole, else nil.
    var intValue: Int? {
        guard case .number(let number) = self, number.rounded() == number, abs(number) < 1e15 else { return nil }
        return Int(number)
    }

    /// Returns the value at `path`, or nil when a step is missing or not an object.
    func value(at path: [String]) -> JSONValue? {
        var current = self
        for key in path {
            guard let next = current[key] else { return nil }
            current = next
        }
        return current
    }

    /// Sets the value at `path`, creating objects for missing steps; nil removes the last key.
    /// Steps that exist but are not objects are replaced by objects.
    mutating func set(_ newValue: JSONValue?, at path: [String]) {
        guard let key = path.first else {
            if let newValue { self = newValue }
            return
        }
        var members = objectValue ?? [:]
        if path.count == 1 {
            members[key] = newValue
        } else {
            var child = members[key] ?? .object([:])
            child.set(newValue, at: Array(path.dropFirst()))
            members[key] = child
        }
        self = .object(members)
    }

    /// String members of the object at `path`, such as labels; non-string members are skipped.
    func stringMap(at path: [String]) -> [String: String] {
        guard let members = value(at: path)?.objectValue else { return [:] }
        return members.compactMapValues(\.stringValue)
    }

    static func stringMap(_ map: [String: String]) -> JSONValue {
        .object(map.mapValues { .string($0) })
    }
}
