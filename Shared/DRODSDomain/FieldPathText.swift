import DRODSCore

/// Builds the `field` paths of `FieldError`s in the syntax of `FieldPath`, so that a reported
/// path can be parsed back.
enum FieldPathText {
    /// Appends an object key: `.key` when the key can stand bare, `["key"]` otherwise (keys
    /// with dots, such as `app.kubernetes.io/name`).
    static func appending(_ key: String, to path: String) -> String {
        // Validation builds a path for every field it reads, so the common bare key skips
        // `FieldPath`; the bytes checked are those `FieldPath` lets stand bare.
        if !key.isEmpty, key.utf8.allSatisfy(isBareKeyByte) {
            return path.isEmpty ? key : "\(path).\(key)"
        }
        let segment = FieldPath(segments: [.key(key)]).description
        if segment.hasPrefix("[") || path.isEmpty {
            return path + segment
        }
        return "\(path).\(segment)"
    }

    private static func isBareKeyByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "-"), UInt8(ascii: "/"):
            true
        default:
            false
        }
    }

    static func appending(index: Int, to path: String) -> String {
        "\(path)[\(index)]"
    }
}
