import Foundation

/// An equality-based label selector as sent in the `labelSelector` query parameter:
/// comma-separated `key=value`, `key==value`, `key!=value`, `key` (exists) and `!key` terms.
/// Set-based terms such as `key in (a,b)` are not supported and are rejected.
struct LabelSelector: Sendable, Equatable {
    enum Term: Sendable, Equatable {
        case equals(String, String)
        case notEquals(String, String)
        case exists(String)
        case notExists(String)
    }

    let terms: [Term]

    /// Parses the selector; returns nil for a term it cannot read. An empty text selects everything.
    init?(_ text: String) {
        var terms: [Term] = []
        for rawTerm in text.split(separator: ",") {
            let term = rawTerm.trimmingCharacters(in: .whitespaces)
            if term.isEmpty { continue }
            if term.contains(" in ") || term.contains(" notin ") || term.contains("(") { return nil }
            if let range = term.range(of: "!=") {
                terms.append(.notEquals(String(term[..<range.lowerBound]), String(term[range.upperBound...])))
            } else if let range = term.range(of: "==") {
                terms.append(.equals(String(term[..<range.lowerBound]), String(term[range.upperBound...])))
            } else if let range = term.range(of: "=") {
                terms.append(.equals(String(term[..<range.lowerBound]), String(term[range.upperBound...])))
            } else if term.hasPrefix("!") {
                terms.append(.notExists(String(term.dropFirst())))
            } else {
                terms.append(.exists(term))
            }
        }
        self.terms = terms
    }

    func matches(_ labels: [String: String]) -> Bool {
        terms.allSatisfy { term in
            switch term {
            case .equals(let key, let value): labels[key] == value
            case .notEquals(let key, let value): labels[key] != value
            case .exists(let key): labels[key] != nil
            case .notExists(let key): labels[key] == nil
            }
        }
    }
}
