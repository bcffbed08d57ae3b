import DRODSCore
import Foundation

/// Checks JSON values against the subset of JSON Schema that `Docs/events.schema.json` uses:
/// `$ref` to `#/$defs/...`, `type`, `required`, `properties`, `additionalProperties`, `items`,
/// `enum`, `const`, `oneOf`, `minimum` and `maxItems`. Annotations such as `format` and
/// `description` are not checked.
struct SchemaChecker {
    let root: JSONValue

    /// Returns the problems found, each with the path of the value; empty when it conforms.
    func problems(of value: JSONValue, against schema: JSONValue, path: String = "$") -> [String] {
        guard case .object(let rules) = schema else { return [] }
        if let reference = rules["$ref"]?.stringValue {
            guard let target = resolve(reference) else { return ["\(path): unknown reference \(reference)"] }
            return problems(of: value, against: target, path: path)
        }
        var found: [String] = []
        if let type = rules["type"], !matches(value, type: type) {
            return ["\(path): expected type \(describe(type)), found \(describe(value))"]
        }
        if case .array(let options)? = rules["enum"], !options.contains(value) {
            found.append("\(path): \(describe(value)) is not one of \(describe(.array(options)))")
        }
        if let constant = rules["const"], constant != value {
            found.append("\(path): expected \(describe(constant)), found \(describe(value))")
        }
        if case .array(let options)? = rules["oneOf"] {
            let passing = options.filter { problems(of: value, against: $0, path: path).isEmpty }.count
            if passing != 1 { found.append("\(path): matches \(passing) of the oneOf alternatives, not exactly one") }
        }
        if case .number(let number) = value, let minimum = rules["minimum"]?.doubleValue, number < minimum {
            found.append("\(path): \(number) is below \(minimum)")
        }
        if case .array(let items) = value {
            if let limit = rules["maxItems"]?.doubleValue, Double(items.count) > limit {
                found.append("\(path): \(items.count) items, at most \(Int(limit)) allowed")
            }
            if let itemSchema = rules["items"] {
                for (index, item) in items.enumerated() {
                    found += problems(of: item, against: itemSchema, path: "\(path)[\(index)]")
                }
            }
        }
        if case .object(let members) = value {
            if case .array(let required)? = rules["required"] {
                for case .string(let name) in required where members[name] == nil {
                    found.append("\(path): missing \(name)")
                }
            }
            let properties: [String: JSONValue]
            if case .object(let declared)? = rules["properties"] { properties = declared } else { properties = [:] }
            for (name, member) in members {
                if let memberSchema = properties[name] {
                    found += problems(of: member, against: memberSchema, path: "\(path).\(name)")
                } else if let extra = rules["additionalProperties"] {
                    if extra == .bool(false) {
                        found.append("\(path): unexpected member \(name)")
                    } else {
                        found += problems(of: member, against: extra, path: "\(path).\(name)")
                    }
                }
            }
        }
        return found
    }

    private func resolve(_ reference: String) -> JSONValue? {
        let prefix = "#/$defs/"
        guard reference.hasPrefix(prefix) else { return nil }
        return root["$defs"]?[String(reference.dropFirst(prefix.count))]
    }

    private func matches(_ value: JSONValue, type: JSONValue) -> Bool {
        if case .array(let types) = type { return types.contains { matches(value, type: $0) } }
        switch (type.stringValue, value) {
        case ("object", .object), ("array", .array), ("string", .string), ("boolean", .bool), ("null", .null),
             ("number", .number):
            return true
        case ("integer", .number(let number)):
            return number.rounded() == number
        default:
            return false
        }
    }

    private func describe(_ value: JSONValue) -> String {
        String(decoding: (try? WireJSON.encode(value)) ?? Data(), as: UTF8.self)
    }
}
