/// A path to a field inside a JSON document, written the way Kubernetes tools write them:
/// `spec.template.spec.containers[0].resources.limits`, with keys that contain other characters
/// in brackets and quotes, as in `metadata.annotations["example.com/key"]`.
///
/// Bare keys consist of ASCII letters, digits, `_`, `-` and `/`. Any key may be written quoted,
/// in double or single quotes, where `\` escapes the quote character and `\` itself. Indexes are
/// non-negative decimal integers without leading zeros.
public struct FieldPath: Equatable, Hashable, Sendable, CustomStringConvertible {
    /// One step of a path: a member of an object or an element of an array.
    public enum Segment: Equatable, Hashable, Sendable {
        case key(String)
        case index(Int)
    }

    public let segments: [Segment]

    /// Creates a path from its segments. An empty path refers to the whole document.
    public init(segments: [Segment]) {
        self.segments = segments
    }

    /// Parses a path such as `spec.containers[0].image` or `metadata.labels["app.kubernetes.io/name"]`.
    ///
    /// - Throws: `FieldPathError` with code `invalidSyntax` and the 1-based character position of
    ///   the problem.
    public static func parse(_ text: String) throws -> FieldPath {
        var parser = FieldPathParser(text: text)
        return FieldPath(segments: try parser.parseSegments())
    }

    /// The canonical text of the path: keys bare where possible, otherwise double-quoted in
    /// brackets. Parsing the description gives the same path.
    public var description: String {
        var text = ""
        for segment in segments {
            switch segment {
            case .index(let index):
                text += "[\(index)]"
            case .key(let key) where FieldPathParser.isBareKey(key):
                text += text.isEmpty ? key : "." + key
            case .key(let key):
                text += "[\""
                for character in key {
                    if character == "\"" || character == "\\" { text.append("\\") }
                    text.append(character)
                }
                text += "\"]"
            }
        }
        return text
    }

    // MARK: - Reading and writing

    /// Returns the value at the path, or nil when a member or element along it is missing or a
    /// step does not fit the value's type (a key on an array, an index on an object).
    public func get(in value: JSONValue) -> JSONValue? {
        var current = value
        for segment in segments {
            switch (segment, current) {
            case (.key(let key), .object(let members)):
                guard let member = members[key] else { return nil }
                current = member
            case (.index(let index), .array(let items)):
                guard index < items.count else { return nil }
                current = items[index]
            default:
                return nil
            }
        }
        return current
    }

    /// Returns a copy of `value` with the value at the path replaced by `newValue`. Missing or
    /// null members along the path become empty objects, but missing array elements are never
    /// created.
    ///
    /// - Throws: `FieldPathError` with code `notSettable` when an index is beyond its array's
    ///   end, when an index step meets no array, or when a key step meets a value that is neither
    ///   an object nor null.
    public func set(_ newValue: JSONValue, in value: JSONValue) throws -> JSONValue {
        try set(newValue, in: value, from: 0)
    }

    private func set(_ newValue: JSONValue, in value: JSONValue, from position: Int) throws -> JSONValue {
        guard position < segments.count else {
            return newValue
        }

        switch (segments[position], value) {
        case (.key(let key), .object(var members)):
            members[key] = try set(newValue, in: members[key] ?? .null, from: position + 1)
            return .object(members)
        case (.key(let key), .null):
            return .object([key: try set(newValue, in: .null, from: position + 1)])
        case (.index(let index), .array(var items)):
            guard index < items.count else {
                throw notSettable(at: position, "index \(index) is beyond the end of the array at "
                                      + "\(prefix(position)), which has \(items.count) elements")
            }
            items[index] = try set(newValue, in: items[index], from: position + 1)
            return .array(items)
        case (.index(let index), .null):
            throw notSettable(at: position, "\(prefix(position)) does not exist, and array "
                                  + "element [\(index)] is not created")
        case (.key, _):
            throw notSettable(at: position, "\(prefix(position)) is \(kind(of: value)), not an object")
        case (.index, _):
            throw notSettable(at: position, "\(prefix(position)) is \(kind(of: value)), not an array")
        }
    }

    /// Renders the path up to, not including, the segment at `position`, for error messages.
    private func prefix(_ position: Int) -> String {
        position == 0 ? "the document root" : FieldPath(segments: Array(segments[..<position])).description
    }

    private func notSettable(at position: Int, _ message: String) -> FieldPathError {
        FieldPathError(code: .notSettable, path: description, position: nil,
                       message: message)
    }

    private func kind(of value: JSONValue) -> String {
        switch value {
        case .null: return "null"
        case .bool: return "a bool"
        case .number: return "a number"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }
}

// MARK: - FieldPathError

/// A field path that could not be parsed, or a value that could not be set at a path.
public struct FieldPathError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The kind of failure; a struct so that codes can be added without breaking callers.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Kind: String, Sendable {
            case invalidSyntax, notSettable
        }

        private let kind: Kind

        private init(_ kind: Kind) { self.kind = kind }

        /// The path text is not a valid field path.
        public static let invalidSyntax = Code(.invalidSyntax)
        /// `FieldPath.set` cannot place a value at the path in the given document.
        public static let notSettable = Code(.notSettable)

        public var description: String { kind.rawValue }
    }

    public let code: Code
    /// The path as written by the caller (for syntax errors) or in canonical form.
    public let path: String
    /// The 1-based character position of a syntax error in `path`; nil for `notSettable`.
    public let position: Int?
    /// The problem without the path.
    public let message: String

    public init(code: Code, path: String, position: Int?, message: String) {
        self.code = code
        self.path = path
        self.position = position
        self.message = message
    }

    public var description: String {
        if let position {
            return "invalid field path \"\(path)\" at position \(position): \(message)"
        }
        return "cannot set field path \"\(path)\": \(message)"
    }
}

// MARK: - FieldPathParser

/// Reads the text of a field path character by character.
private struct FieldPathParser {
    private let text: String
    private let characters: [Character]
    private var index = 0

    init(text: String) {
        self.text = text
        self.characters = Array(text)
    }

    static func isBareKey(_ key: String) -> Bool {
        !key.isEmpty && key.allSatisfy(isBareKeyCharacter)
    }

    private static func isBareKeyCharacter(_ character: Character) -> Bool {
        character.isASCII && (character.isLetter || character.isNumber || character == "_"
            || character == "-" || character == "/")
    }

    mutating func parseSegments() throws -> [FieldPath.Segment] {
        guard !characters.isEmpty else {
            throw error("the path is empty")
        }

        var segments: [FieldPath.Segment] = []
        if characters[0] != "[" {
            segments.append(.key(try parseBareKey()))
        }
        while index < characters.count {
            switch characters[index] {
            case ".":
                index += 1
                segments.append(.key(try parseBareKey()))
            case "[":
                index += 1
                segments.append(try parseBracket())
            default:
                throw error("expected \".\" or \"[\" after a key or index, found \"\(characters[index])\"")
            }
        }
        return segments
    }

    private mutating func parseBareKey() throws -> String {
        let start = index
        while index < characters.count, Self.isBareKeyCharacter(characters[index]) {
            index += 1
        }
        guard index > start else {
            if index < characters.count, characters[index] != "." && characters[index] != "[" {
                throw error("\"\(characters[index])\" is not allowed in a key without quotes; "
                                + "write the key as [\"...\"]")
            }
            throw error("expected a key")
        }
        return String(characters[start..<index])
    }

    /// Parses the part after "[": an index or a quoted key, and the closing "]".
    private mutating func parseBracket() throws -> FieldPath.Segment {
        guard index < characters.count else {
            throw error("expected an index or a quoted key after \"[\"")
        }
        let segment: FieldPath.Segment
        let first = characters[index]
        if first == "\"" || first == "'" {
            segment = .key(try parseQuotedKey())
        } else if first.isASCII, first.isNumber {
            segment = .index(try parseIndex())
        } else {
            throw error("expected an index or a quoted key after \"[\", found \"\(first)\"")
        }

        guard index < characters.count, characters[index] == "]" else {
            throw error("expected \"]\"")
        }
        index += 1
        return segment
    }

    private mutating func parseIndex() throws -> Int {
        let start = index
        while index < characters.count, characters[index].isASCII, characters[index].isNumber {
            index += 1
        }
        let digits = String(characters[start..<index])
        guard digits == "0" || !digits.hasPrefix("0") else {
            throw error("index \(digits) has a leading zero", at: start)
        }
        guard let value = Int(digits) else {
            throw error("index \(digits) is too large", at: start)
        }
        return value
    }

    private mutating func parseQuotedKey() throws -> String {
        let quote = characters[index]
        let start = index
        index += 1
        var key = ""
        while index < characters.count {
            let character = characters[index]
            index += 1
            if character == quote {
                return key
            }
            if character == "\\" {
                guard index < characters.count,
                      characters[index] == quote || characters[index] == "\\" else {
                    throw error("\"\\\" in a quoted key must be followed by \(quote) or \"\\\"",
                                at: index - 1)
                }
                key.append(characters[index])
                index += 1
            } else {
                key.append(character)
            }
        }
        throw error("the quoted key has no closing \(quote)", at: start)
    }

    /// Builds a syntax error at `position` (0-based), or at the current character.
    private func error(_ message: String, at position: Int? = nil) -> FieldPathError {
        FieldPathError(code: .invalidSyntax, path: text, position: (position ?? index) + 1,
                       message: message)
    }
}
