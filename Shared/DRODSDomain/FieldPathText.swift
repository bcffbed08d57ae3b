import DRODSCore

/// Builds the `field` paths of `FieldError`s in the syntax of `FieldPath`, so that a reported
/// path can be parsed back.
enum FieldPathText {
    /// Appends an object key: `.key` when the key can stand bare, `["key"]` otherwise (keys
    /// with dots, such as `app.kubernetes.io/name`).
    static func appending(_ key: String, to path: String) -> String {
        let segment = FieldPath(segments: [.key(key)]).description
        if segment.hasPrefix("[") || path.isEmpty {
            return path + segment
        }
        return "\(path).\(segment)"
    }

    static func appending(index: Int, to path: String) -> String {
        "\(path)[\(index)]"
    }
}
