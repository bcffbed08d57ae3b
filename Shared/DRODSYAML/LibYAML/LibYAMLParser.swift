import CYAML

/// Owns one libyaml event parser and the copy of the input it reads, and turns libyaml's events
/// into `YAMLEvent` values. Every libyaml structure this type touches is freed by it: the parser
/// in `deinit`, each event before `nextEvent()` returns.
final class LibYAMLParser {
    /// Allocated and freed here. `yaml_parser_delete` releases libyaml's buffers inside it.
    private let parser: UnsafeMutablePointer<yaml_parser_t>
    /// libyaml keeps a pointer to the input without copying it, so the bytes must live as long as
    /// the parser. Allocated and freed here.
    private let input: UnsafeMutableBufferPointer<UInt8>

    /// The number of input bytes; `input` has one byte of capacity more when the text is empty.
    private let inputCount: Int

    init(text: String) throws {
        let parser = UnsafeMutablePointer<yaml_parser_t>.allocate(capacity: 1)
        // On failure yaml_parser_initialize frees what it allocated itself, so only the Swift
        // allocation is released here.
        guard yaml_parser_initialize(parser) == 1 else {
            parser.deallocate()
            throw YAMLError(code: .syntax, line: 1, column: 1,
                            message: "out of memory while creating the YAML parser")
        }

        let bytes = Array(text.utf8)
        // Capacity 1 for empty input, so that the base address is never nil.
        let input = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(bytes.count, 1))
        _ = input.initialize(from: bytes)
        yaml_parser_set_input_string(parser, input.baseAddress, bytes.count)

        // Nothing below can fail, so from here on deinit owns and frees both allocations.
        self.parser = parser
        self.input = input
        self.inputCount = bytes.count
    }

    deinit {
        yaml_parser_delete(parser)
        parser.deallocate()
        input.deallocate()
    }

    /// Reads the next event, or throws the parser's error with its position.
    func nextEvent() throws -> YAMLEvent {
        var event = yaml_event_t()
        // The event owns its anchor, tag and scalar strings until yaml_event_delete. After a failed
        // yaml_parser_parse the event is zeroed, and deleting a zeroed event is a no-op, so the
        // deferred delete is right on both paths.
        defer { yaml_event_delete(&event) }

        guard yaml_parser_parse(parser, &event) == 1 else {
            throw currentError()
        }
        return Self.convert(event)
    }

    // MARK: - Events

    private static func convert(_ event: yaml_event_t) -> YAMLEvent {
        let mark = Self.mark(event.start_mark)
        switch event.type {
        case YAML_STREAM_START_EVENT:
            return .streamStart
        case YAML_STREAM_END_EVENT:
            return .streamEnd(mark)
        case YAML_DOCUMENT_START_EVENT:
            return .documentStart(mark)
        case YAML_DOCUMENT_END_EVENT:
            return .documentEnd(mark)
        case YAML_ALIAS_EVENT:
            return .alias(anchor: string(event.data.alias.anchor) ?? "", mark: mark)
        case YAML_SCALAR_EVENT:
            let scalar = event.data.scalar
            let value = scalar.value.map {
                String(decoding: UnsafeBufferPointer(start: $0, count: scalar.length), as: UTF8.self)
            } ?? ""
            let properties = YAMLEvent.NodeProperties(anchor: string(scalar.anchor),
                                                      tag: string(scalar.tag), mark: mark)
            return .scalar(value: value, style: style(scalar.style), properties: properties)
        case YAML_SEQUENCE_START_EVENT:
            let start = event.data.sequence_start
            return .sequenceStart(YAMLEvent.NodeProperties(anchor: string(start.anchor),
                                                           tag: string(start.tag), mark: mark))
        case YAML_SEQUENCE_END_EVENT:
            return .sequenceEnd(mark)
        case YAML_MAPPING_START_EVENT:
            let start = event.data.mapping_start
            return .mappingStart(YAMLEvent.NodeProperties(anchor: string(start.anchor),
                                                          tag: string(start.tag), mark: mark))
        case YAML_MAPPING_END_EVENT:
            return .mappingEnd(mark)
        default:
            // yaml_parser_parse returns YAML_NO_EVENT only together with a failure, which
            // nextEvent() has already turned into an error.
            preconditionFailure("libyaml returned event type \(event.type.rawValue) on success")
        }
    }

    private static func style(_ style: yaml_scalar_style_t) -> YAMLEvent.ScalarStyle {
        switch style {
        case YAML_PLAIN_SCALAR_STYLE: return .plain
        case YAML_LITERAL_SCALAR_STYLE, YAML_FOLDED_SCALAR_STYLE: return .block
        default: return .quoted
        }
    }

    private static func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        pointer.map { String(cString: $0) }
    }

    /// Converts libyaml's 0-based mark to the 1-based position of `YAMLError`.
    private static func mark(_ mark: yaml_mark_t) -> YAMLEvent.Mark {
        YAMLEvent.Mark(line: Int(mark.line) + 1, column: Int(mark.column) + 1)
    }

    // MARK: - Errors

    /// Builds the error of a failed `yaml_parser_parse` from the parser's problem fields.
    private func currentError() -> YAMLError {
        let state = parser.pointee
        let problem = state.problem.map { String(cString: $0) } ?? "unknown problem"

        switch state.error {
        case YAML_MEMORY_ERROR:
            return YAMLError(code: .syntax, line: 1, column: 1,
                             message: "out of memory while parsing YAML")
        case YAML_READER_ERROR:
            // Reader errors (invalid UTF-8 and control characters) report a byte offset instead
            // of a mark.
            let position = position(ofByte: Int(state.problem_offset))
            var message = problem
            if state.problem_value != -1 {
                message += " (byte value \(state.problem_value) at offset \(state.problem_offset))"
            }
            return YAMLError(code: .syntax, line: position.line, column: position.column,
                             message: message)
        default:
            let mark = Self.mark(state.problem_mark)
            var message = problem
            if let context = state.context.map({ String(cString: $0) }) {
                let contextMark = Self.mark(state.context_mark)
                message += " (\(context) at line \(contextMark.line), column \(contextMark.column))"
            }
            return YAMLError(code: .syntax, line: mark.line, column: mark.column, message: message)
        }
    }

    /// Finds the 1-based line and character column of a byte offset in the UTF-8 input.
    private func position(ofByte offset: Int) -> YAMLEvent.Mark {
        var line = 1
        var column = 1
        for byte in input.prefix(min(offset, inputCount)) {
            if byte == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else if byte & 0b1100_0000 != 0b1000_0000 {
                // Continuation bytes of a multi-byte character do not start a new column.
                column += 1
            }
        }
        return YAMLEvent.Mark(line: line, column: column)
    }
}
