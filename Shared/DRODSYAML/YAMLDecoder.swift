import DRODSCore

/// Parses YAML text into `JSONValue` trees with libyaml, by the YAML 1.2 core schema. Plain
/// `null`, `~` and empty scalars are null, and `true` and `false` in any of their three spellings
/// are bools. Plain ints (decimal, `0o`, `0x`) and floats are numbers. Every other scalar, quoted
/// or not, is a string, so plain `on` and `yes` are strings, unlike in YAML 1.1.
///
/// Mapping keys become object keys by their text. Numbers are `Double`s, so ints beyond 2^53 lose
/// precision. Merge keys (`<<`) have no special meaning in YAML 1.2 and stay ordinary keys.
/// The caller limits the input size.
public enum YAMLDecoder {
    /// The deepest nesting of sequences and mappings accepted.
    public static let maxDepth = 100

    /// The largest document, in nodes, that alias expansion may produce. An alias counts as the
    /// size of the node it refers to. Documents without aliases are not limited.
    public static let maxNodesPerDocument = 10_000

    /// Parses every document of a YAML stream (documents separated by `---`), in order, and
    /// skips documents with no content.
    ///
    /// - Throws: `YAMLError` with the line and column of the first problem.
    public static func parse(_ text: String) throws -> [JSONValue] {
        try parseMarkingEnd(text).documents
    }

    /// Parses a YAML stream that must contain exactly one non-empty document.
    ///
    /// - Throws: `YAMLError` for invalid YAML, and with code `documentCount` when the stream has
    ///   no document or more than one.
    public static func parseSingle(_ text: String) throws -> JSONValue {
        let (documents, end) = try parseMarkingEnd(text)
        guard documents.count == 1 else {
            throw YAMLError(code: .documentCount, line: end.line, column: end.column,
                            message: "expected exactly one YAML document, found \(documents.count)")
        }
        return documents[0]
    }

    /// Parses all documents and returns them with the position of the end of the stream.
    private static func parseMarkingEnd(_ text: String) throws
        -> (documents: [JSONValue], end: YAMLEvent.Mark) {
        let parser = try LibYAMLParser(text: text)
        var composer = YAMLComposer(maxDepth: maxDepth, maxNodesPerDocument: maxNodesPerDocument)
        while true {
            let event = try parser.nextEvent()
            try composer.consume(event)
            if case .streamEnd(let mark) = event {
                return (composer.documents, mark)
            }
        }
    }
}
