/// A YAML document that could not be parsed or converted to JSON, with the position of the
/// problem in the input.
public struct YAMLError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The kind of failure. A struct rather than an enum, so that new codes can be added without
    /// breaking callers that switch over them.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Kind: String, Sendable {
            case syntax, duplicateKey, invalidKey, unsupportedTag, invalidScalar, undefinedAlias
            case aliasExpansionLimit, depthLimit, documentCount
        }

        private let kind: Kind

        private init(_ kind: Kind) { self.kind = kind }

        /// The text is not well-formed YAML; the message is libyaml's description of the problem.
        public static let syntax = Code(.syntax)
        /// A mapping contains the same key twice.
        public static let duplicateKey = Code(.duplicateKey)
        /// A mapping key is a sequence or a mapping, which a JSON object key cannot be.
        public static let invalidKey = Code(.invalidKey)
        /// A node has a tag outside the YAML 1.2 core schema.
        public static let unsupportedTag = Code(.unsupportedTag)
        /// A scalar does not match its tag, or is a number JSON cannot hold (.inf, .nan, overflow).
        public static let invalidScalar = Code(.invalidScalar)
        /// An alias names an anchor that was not defined earlier in the same document.
        public static let undefinedAlias = Code(.undefinedAlias)
        /// Alias expansion would make the document larger than `YAMLDecoder.maxNodesPerDocument`.
        public static let aliasExpansionLimit = Code(.aliasExpansionLimit)
        /// Sequences and mappings are nested deeper than `YAMLDecoder.maxDepth`.
        public static let depthLimit = Code(.depthLimit)
        /// `YAMLDecoder.parseSingle` found no document or more than one.
        public static let documentCount = Code(.documentCount)

        public var description: String { kind.rawValue }
    }

    public let code: Code
    /// The 1-based line of the problem.
    public let line: Int
    /// The 1-based column of the problem, counted in characters.
    public let column: Int
    /// The problem without its position, for example "mapping values are not allowed in this
    /// context".
    public let message: String

    public init(code: Code, line: Int, column: Int, message: String) {
        self.code = code
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String {
        "invalid YAML at line \(line), column \(column): \(message)"
    }
}
