import Foundation

extension WireJSON {
    /// Encodes `value` to the same bytes as the generic `encode(_:)`: sorted keys, unescaped
    /// slashes, numbers as Swift prints them without a trailing `.0`. It skips `JSONEncoder`,
    /// which took about a fifth of the gateway workers' CPU time under `drods bench metrics`.
    /// - Throws: `EncodingError.invalidValue`, as `JSONEncoder` does, for a NaN or infinite
    ///   number.
    public static func encode(_ value: JSONValue) throws -> Data {
        var writer = JSONValueWriter()
        guard writer.write(value) else {
            // JSONEncoder raises the error for a non-finite number, and orders keys that are
            // not ASCII its own way.
            return try encoder().encode(value)
        }
        return Data(writer.bytes)
    }
}

/// The serializer behind `WireJSON.encode(_: JSONValue)`.
struct JSONValueWriter {
    private(set) var bytes: [UInt8] = []

    init() {
        bytes.reserveCapacity(512)
    }

    /// Appends `value`. Returns false, leaving `bytes` incomplete, at a NaN or infinite number,
    /// which JSON cannot express, and at an object key that is not ASCII: `JSONEncoder` sorts
    /// ASCII keys by byte, as `sorted()` does, but orders keys with combining characters
    /// differently from `sorted()`.
    mutating func write(_ value: JSONValue) -> Bool {
        switch value {
        case .null:
            append("null")
        case .bool(let flag):
            append(flag ? "true" : "false")
        case .number(let number):
            guard number.isFinite else { return false }
            var text = number.description
            if text.hasSuffix(".0") { text.removeLast(2) }
            append(text)
        case .string(let text):
            writeString(text)
        case .array(let elements):
            bytes.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                guard write(element) else { return false }
            }
            bytes.append(UInt8(ascii: "]"))
        case .object(let members):
            bytes.append(UInt8(ascii: "{"))
            let keys = members.keys.sorted()
            guard keys.allSatisfy({ key in key.utf8.allSatisfy { $0 < 0x80 } }) else { return false }
            for (index, key) in keys.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                writeString(key)
                bytes.append(UInt8(ascii: ":"))
                // The key comes from `members`, so the lookup cannot fail.
                guard write(members[key]!) else { return false }
            }
            bytes.append(UInt8(ascii: "}"))
        }
        return true
    }

    private mutating func append(_ text: String) {
        bytes.append(contentsOf: text.utf8)
    }

    /// Appends a quoted string. Every byte of a multi-byte UTF-8 sequence is 0x80 or above, so
    /// escaping byte by byte never splits a character.
    private mutating func writeString(_ text: String) {
        let hexDigits = Array("0123456789abcdef".utf8)
        bytes.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): append("\\\"")
            case UInt8(ascii: "\\"): append("\\\\")
            case 0x0A: append("\\n")
            case 0x0D: append("\\r")
            case 0x09: append("\\t")
            case 0x08: append("\\b")
            case 0x0C: append("\\f")
            case 0x00..<0x20:
                append("\\u00")
                bytes.append(hexDigits[Int(byte >> 4)])
                bytes.append(hexDigits[Int(byte & 0x0F)])
            default:
                bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
