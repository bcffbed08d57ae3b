import Foundation

/// Percent-encoding of one URL path segment, so a name can never add a `/` or `?` to a path.
enum PathSegment {
    static func escape(_ text: String) -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "/?#")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}
