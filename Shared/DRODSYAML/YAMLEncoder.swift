import DRODSCore

/// Writes a `JSONValue` as block-style YAML, for people to read, for example the output of a CLI
/// `-o yaml` option. Object keys are sorted, so the same value always gives the same text.
///
/// For any value whose numbers are finite, `YAMLDecoder.parse(YAMLEncoder.encode(value))` returns
/// `[value]`.
public enum YAMLEncoder {
    /// Keys longer than this are written as explicit `? key` entries, because libyaml accepts
    /// implicit (`key: value`) keys of at most 1024 characters.
    private static let maxImplicitKeyLength = 1000

    /// Encodes a value as one YAML document, ending with a newline. Infinite and NaN numbers are
    /// written as `.inf`, `-.inf` and `.nan`, which `YAMLDecoder` rejects because JSON cannot
    /// hold them.
    public static func encode(_ value: JSONValue) -> String {
        blockLines(value).joined(separator: "\n") + "\n"
    }

    // MARK: - Block structure

    /// Renders a value as lines at indentation 0. The caller indents them when the value is nested.
    private static func blockLines(_ value: JSONValue) -> [String] {
        switch value {
        case .array(let items) where !items.isEmpty:
            return items.flatMap { item in
                nested(item, firstPrefix: "- ", restPrefix: "  ")
            }
        case .object(let members) where !members.isEmpty:
            return members.keys.sorted().flatMap { key in
                memberLines(key: key, value: members[key]!)
            }
        default:
            return [inline(value)]
        }
    }

    private static func memberLines(key: String, value: JSONValue) -> [String] {
        let keyText = scalar(key)
        guard keyText.count <= maxImplicitKeyLength else {
            // An explicit entry: the key after "? ", the value after ": " on the next line.
            return ["? " + keyText] + nested(value, firstPrefix: ": ", restPrefix: "  ")
        }
        guard isNonEmptyCollection(value) else {
            return [keyText + ": " + inline(value)]
        }
        return [keyText + ":"] + blockLines(value).map { "  " + $0 }
    }

    /// Places a value after a one-line indicator ("- " or ": "). A non-empty mapping or sequence
    /// starts on the indicator's line and continues below it, indented to the same column.
    private static func nested(_ value: JSONValue, firstPrefix: String,
                               restPrefix: String) -> [String] {
        guard isNonEmptyCollection(value) else {
            return [firstPrefix + inline(value)]
        }
        let lines = blockLines(value)
        return [firstPrefix + lines[0]] + lines.dropFirst().map { restPrefix + $0 }
    }

    private static func isNonEmptyCollection(_ value: JSONValue) -> Bool {
        switch value {
        case .array(let items): return !items.isEmpty
        case .object(let members): return !members.isEmpty
        default: return false
        }
    }

    /// Renders a scalar or an empty collection on one line.
    private static func inline(_ value: JSONValue) -> String {
        switch value {
        case .null: return "null"
        case .bool(let flag): return flag ? "true" : "false"
        case .number(let number): return format(number)
        case .string(let text): return scalar(text)
        case .array: return "[]"
        case .object: return "{}"
        }
    }

    // MARK: - Scalars

    private static func format(_ number: Double) -> String {
        if number.isNaN { return ".nan" }
        if number.isInfinite { return number < 0 ? "-.inf" : ".inf" }
        // Integral values up to 2^53 are exact in a Double and read best without exponent or
        // fraction; Swift's description gives the shortest text that reads back as the same Double.
        if number == number.rounded(), abs(number) <= 9_007_199_254_740_992 {
            return String(Int64(number))
        }
        return number.description
    }

    /// Renders a string as a plain scalar when that reads back as the same string, otherwise
    /// double-quoted with escapes.
    private static func scalar(_ text: String) -> String {
        needsQuotes(text) ? doubleQuoted(text) : text
    }

    /// YAML 1.1 booleans. YAML 1.2 reads them as strings, but YAML 1.1 parsers (for example
    /// go-yaml v2) read them as bools, so they are quoted for those readers.
    private static let yaml11Booleans: Set<String> = [
        "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO",
        "on", "On", "ON", "off", "Off", "OFF",
    ]

    /// Characters that start a YAML token (indicators) and so cannot start a plain scalar.
    private static let indicators = Set("-?:,[]{}#&*!|>'\"%@`")

    private static func needsQuotes(_ text: String) -> Bool {
        guard let first = text.first, let last = text.last else { return true }
        if indicators.contains(first) || first == " " || last == " " { return true }
        if text.hasPrefix("...") { return true }
        if text.contains(": ") || text.contains(" #") || last == ":" { return true }
        if text.unicodeScalars.contains(where: { !isPlainSafe($0) }) { return true }
        if yaml11Booleans.contains(text) { return true }
        return YAMLCoreSchema.resolve(plain: text) != .string
    }

    /// True for printable characters that YAML does not treat as line breaks or a byte order
    /// mark. Tabs are excluded too, because a plain scalar loses leading and trailing tabs.
    private static func isPlainSafe(_ character: Unicode.Scalar) -> Bool {
        switch character.value {
        case 0x20...0x7E, 0xA0...0x2027, 0x202A...0xD7FF, 0xE000...0xFEFE, 0xFF00...0xFFFD,
             0x10000...0x10FFFF:
            return true
        default:
            return false
        }
    }

    private static func doubleQuoted(_ text: String) -> String {
        var result = "\""
        for character in text.unicodeScalars {
            switch character {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            case "\r": result += "\\r"
            case _ where isPlainSafe(character):
                result.unicodeScalars.append(character)
            default:
                result += escaped(character)
            }
        }
        return result + "\""
    }

    /// Writes a `\x`, `\u` or `\U` escape with the character's code point in hex.
    private static func escaped(_ character: Unicode.Scalar) -> String {
        let hex = String(character.value, radix: 16, uppercase: true)
        switch character.value {
        case ..<0x100: return "\\x" + String(repeating: "0", count: 2 - hex.count) + hex
        case ..<0x10000: return "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        default: return "\\U" + String(repeating: "0", count: 8 - hex.count) + hex
        }
    }
}
