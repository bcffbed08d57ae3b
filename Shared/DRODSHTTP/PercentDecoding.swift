import Foundation

/// Percent-decoding of path segments and query arguments (RFC 3986 section 2.1).
enum PercentDecoding {
    /// Returns `text` with `%XX` sequences decoded, or `text` unchanged when a sequence is
    /// invalid or the decoded bytes are not UTF-8, so that a bad escape never drops a request.
    static func decode<S: StringProtocol>(_ text: S) -> String {
        let string = String(text)
        guard string.contains("%") else { return string }
        return string.removingPercentEncoding ?? string
    }
}
