/// A route's path pattern such as `/api/v1/clusters/{name}`: literal segments and `{param}`
/// segments, each between slashes. Empty segments are ignored, so `/a/` matches like `/a`.
struct RoutePattern: Sendable, Equatable {
    enum Segment: Sendable, Equatable {
        case literal(String)
        case parameter(String)
    }

    let text: String
    let segments: [Segment]

    /// Parses `text`; returns nil when it does not start with `/`, or when a segment contains a
    /// brace without being exactly `{name}` with a name of letters, digits and underscores.
    init?(_ text: String) {
        guard text.hasPrefix("/") else { return nil }
        var segments: [Segment] = []
        for part in text.split(separator: "/") {
            if part.hasPrefix("{") || part.hasSuffix("}") {
                guard part.count > 2, part.hasPrefix("{"), part.hasSuffix("}") else { return nil }
                let name = part.dropFirst().dropLast()
                guard name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") })
                else { return nil }
                segments.append(.parameter(String(name)))
            } else if part.contains("{") || part.contains("}") {
                return nil
            } else {
                segments.append(.literal(String(part)))
            }
        }
        self.text = text
        self.segments = segments
    }

    /// Names of the `{param}` segments in order.
    var parameterNames: [String] {
        segments.compactMap { segment in
            if case .parameter(let name) = segment { return name }
            return nil
        }
    }

    /// Returns the path parameters when `pathSegments` fit the pattern, or nil.
    func match(_ pathSegments: [String]) -> [String: String]? {
        guard pathSegments.count == segments.count else { return nil }
        var parameters: [String: String] = [:]
        for (segment, part) in zip(segments, pathSegments) {
            switch segment {
            case .literal(let literal):
                guard part == literal else { return nil }
            case .parameter(let name):
                parameters[name] = part
            }
        }
        return parameters
    }

    /// Returns whether both patterns match exactly the same paths, so that one would hide the other.
    func hasSameShape(as other: RoutePattern) -> Bool {
        guard segments.count == other.segments.count else { return false }
        return zip(segments, other.segments).allSatisfy { pair in
            switch pair {
            case (.literal(let lhs), .literal(let rhs)): lhs == rhs
            case (.parameter, .parameter): true
            default: false
            }
        }
    }

    /// Returns whether this pattern wins over `other` when both match a path. The first segment
    /// where they differ decides, and a literal beats a parameter.
    func isMoreSpecific(than other: RoutePattern) -> Bool {
        for (lhs, rhs) in zip(segments, other.segments) {
            switch (lhs, rhs) {
            case (.literal, .parameter): return true
            case (.parameter, .literal): return false
            default: continue
            }
        }
        return false
    }
}
