/// One libyaml parser event, copied into Swift values so that no C memory outlives the call that
/// produced it.
enum YAMLEvent: Equatable, Sendable {
    /// A position in the input, 1-based like `YAMLError`.
    struct Mark: Equatable, Sendable {
        var line: Int
        var column: Int
    }

    /// The anchor, tag and position that every scalar, sequence and mapping node carries.
    struct NodeProperties: Equatable, Sendable {
        var anchor: String?
        /// The resolved tag, for example "tag:yaml.org,2002:str" for `!!str`, or nil when the
        /// node has none.
        var tag: String?
        var mark: Mark
    }

    /// The style a scalar was written in. Only plain scalars are resolved to null, bool or number.
    enum ScalarStyle: Equatable, Sendable {
        case plain, quoted, block
    }

    case streamStart
    case streamEnd(Mark)
    case documentStart(Mark)
    case documentEnd(Mark)
    case alias(anchor: String, mark: Mark)
    case scalar(value: String, style: ScalarStyle, properties: NodeProperties)
    case sequenceStart(NodeProperties)
    case sequenceEnd(Mark)
    case mappingStart(NodeProperties)
    case mappingEnd(Mark)
}
