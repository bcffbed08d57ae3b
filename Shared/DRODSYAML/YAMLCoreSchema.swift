import DRODSCore

/// The scalar rules of the YAML 1.2 core schema: which plain scalars are null, bool, int or
/// float, and what the `!!null`, `!!bool`, `!!int`, `!!float` and `!!str` tags accept.
enum YAMLCoreSchema {
    /// The type a plain scalar resolves to.
    enum Resolution: Equatable {
        case null
        case bool(Bool)
        /// An int or float that fits in a finite `Double`.
        case number(Double)
        /// `.inf`, `-.inf`, `.nan`, or a number too large for a `Double`.
        case nonFiniteNumber
        case string
    }

    static let tagPrefix = "tag:yaml.org,2002:"

    /// Converts a scalar to JSON by its tag, or by its text when it is plain and untagged.
    static func value(of text: String, style: YAMLEvent.ScalarStyle,
                      properties: YAMLEvent.NodeProperties) throws -> JSONValue {
        guard let tag = properties.tag else {
            guard style == .plain else { return .string(text) }
            return try json(from: resolve(plain: text), text: text, mark: properties.mark)
        }

        let resolution = resolve(plain: text)
        switch tag {
        case "!", tagPrefix + "str":
            // "!" is the non-specific tag, which makes a plain scalar a string.
            return .string(text)
        case tagPrefix + "null" where resolution == .null,
             tagPrefix + "bool" where isBool(resolution),
             tagPrefix + "int" where isInt(text),
             tagPrefix + "float" where isNumber(resolution):
            return try json(from: resolution, text: text, mark: properties.mark)
        case tagPrefix + "null", tagPrefix + "bool", tagPrefix + "int", tagPrefix + "float":
            throw YAMLError(code: .invalidScalar, line: properties.mark.line,
                            column: properties.mark.column,
                            message: "\"\(text)\" is not a valid \(shortTag(tag)) value")
        default:
            throw YAMLError(code: .unsupportedTag, line: properties.mark.line,
                            column: properties.mark.column,
                            message: "unsupported tag \(shortTag(tag)) on a scalar: use !!str, "
                                + "!!int, !!float, !!bool or !!null, or remove the tag")
        }
    }

    /// Writes `tag:yaml.org,2002:x` as `!!x`, the way it appears in YAML text.
    static func shortTag(_ tag: String) -> String {
        tag.hasPrefix(tagPrefix) ? "!!" + tag.dropFirst(tagPrefix.count) : tag
    }

    // MARK: - Resolution

    /// Resolves an untagged plain scalar by the core schema's patterns.
    static func resolve(plain text: String) -> Resolution {
        switch text {
        case "", "~", "null", "Null", "NULL":
            return .null
        case "true", "True", "TRUE":
            return .bool(true)
        case "false", "False", "FALSE":
            return .bool(false)
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF",
             ".nan", ".NaN", ".NAN":
            return .nonFiniteNumber
        default:
            break
        }

        let bytes = Array(text.utf8)
        let number: Double?
        if let radixValue = radixInteger(bytes) {
            number = radixValue
        } else if isDecimalOrFloat(bytes) {
            number = Double(text)
        } else {
            return .string
        }
        guard let number, number.isFinite else { return .nonFiniteNumber }
        return .number(number)
    }

    private static func json(from resolution: Resolution, text: String,
                             mark: YAMLEvent.Mark) throws -> JSONValue {
        switch resolution {
        case .null: return .null
        case .bool(let value): return .bool(value)
        case .number(let value): return .number(value)
        case .string: return .string(text)
        case .nonFiniteNumber:
            throw YAMLError(code: .invalidScalar, line: mark.line, column: mark.column,
                            message: "number \(text) cannot be represented in JSON, which has no "
                                + "infinity, NaN or numbers beyond ±1.8e308; quote it to keep it as a string")
        }
    }

    private static func isBool(_ resolution: Resolution) -> Bool {
        if case .bool = resolution { return true }
        return false
    }

    private static func isNumber(_ resolution: Resolution) -> Bool {
        switch resolution {
        case .number, .nonFiniteNumber: return true
        default: return false
        }
    }

    /// Matches the core schema's int patterns: `[-+]?[0-9]+`, `0o[0-7]+` and `0x[0-9a-fA-F]+`.
    private static func isInt(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        if radixInteger(bytes) != nil { return true }
        let digits = bytes.first == UInt8(ascii: "-") || bytes.first == UInt8(ascii: "+")
            ? bytes.dropFirst() : bytes[...]
        return !digits.isEmpty && digits.allSatisfy(isDigit)
    }

    /// Reads `0o[0-7]+` or `0x[0-9a-fA-F]+`; nil for any other text. Values beyond 2^53 are
    /// rounded to the nearest `Double`, and values beyond the `Double` range become infinity.
    private static func radixInteger(_ bytes: [UInt8]) -> Double? {
        guard bytes.count > 2, bytes[0] == UInt8(ascii: "0") else { return nil }
        let radix: Double
        switch bytes[1] {
        case UInt8(ascii: "o"): radix = 8
        case UInt8(ascii: "x"): radix = 16
        default: return nil
        }

        var value = 0.0
        for byte in bytes.dropFirst(2) {
            guard let digit = hexDigitValue(byte), Double(digit) < radix else { return nil }
            value = value * radix + Double(digit)
        }
        return value
    }

    /// Matches `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`, the core schema's float
    /// pattern, which also covers decimal ints.
    private static func isDecimalOrFloat(_ bytes: [UInt8]) -> Bool {
        var index = 0
        func skipDigits() -> Int {
            let start = index
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
            return index - start
        }

        if index < bytes.count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
            index += 1
        }
        let integerDigits = skipDigits()
        var fractionDigits = 0
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            fractionDigits = skipDigits()
        }
        guard integerDigits > 0 || fractionDigits > 0 else { return false }

        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
                index += 1
            }
            guard skipDigits() > 0 else { return false }
        }
        return index == bytes.count
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    private static func hexDigitValue(_ byte: UInt8) -> Int? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return Int(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return Int(byte - UInt8(ascii: "a")) + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return Int(byte - UInt8(ascii: "A")) + 10
        default: return nil
        }
    }
}
