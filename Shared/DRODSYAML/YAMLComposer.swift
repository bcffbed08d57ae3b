import DRODSCore

/// Builds JSON values from a stream of `YAMLEvent`s: one value per non-empty document, with
/// anchors resolved and the decoder's limits enforced. It uses no C memory, so any event source can
/// drive it.
struct YAMLComposer {
    /// The documents completed so far, in stream order.
    private(set) var documents: [JSONValue] = []

    private let maxDepth: Int
    private let maxNodesPerDocument: Int

    /// Open sequences and mappings, innermost last.
    private var stack: [Collection] = []
    /// Anchors of the current document. YAML lets a later anchor reuse a name, and an alias then
    /// refers to the latest node with that name.
    private var anchors: [String: Node] = [:]
    /// Nodes in the current document, each alias counted as the size of the node it copies.
    private var nodeCount = 0
    private var root: Node?

    init(maxDepth: Int, maxNodesPerDocument: Int) {
        self.maxDepth = maxDepth
        self.maxNodesPerDocument = maxNodesPerDocument
    }

    /// A completed node.
    private struct Node {
        var value: JSONValue
        /// The scalar's text when the node is a scalar. A mapping key uses this text as is, so
        /// `1: a` gets the key "1" rather than "1.0".
        var scalarText: String?
        /// Nodes in this subtree, aliases counted by expansion.
        var size: Int
        /// True for a document whose only content is an empty plain scalar, which the decoder
        /// skips like a document with no content at all.
        var isEmptyDocument = false
    }

    /// An open sequence or mapping.
    private struct Collection {
        let isMapping: Bool
        let properties: YAMLEvent.NodeProperties
        let nodeCountAtStart: Int
        var items: [JSONValue] = []
        var members: [String: JSONValue] = [:]
        /// The key read last in a mapping whose value has not been read yet.
        var pendingKey: String?
    }

    // MARK: - Events

    mutating func consume(_ event: YAMLEvent) throws {
        switch event {
        case .streamStart, .streamEnd:
            break
        case .documentStart:
            stack = []
            anchors = [:]
            nodeCount = 0
            root = nil
        case .documentEnd:
            if let root, !root.isEmptyDocument { documents.append(root.value) }
            root = nil
        case .alias(let anchor, let mark):
            try addAlias(anchor, mark: mark)
        case .scalar(let text, let style, let properties):
            let value = try YAMLCoreSchema.value(of: text, style: style, properties: properties)
            nodeCount += 1
            let node = Node(value: value, scalarText: text, size: 1,
                            isEmptyDocument: stack.isEmpty && style == .plain && text.isEmpty
                                && properties.tag == nil && properties.anchor == nil)
            try add(node, anchor: properties.anchor, mark: properties.mark)
        case .sequenceStart(let properties):
            try open(isMapping: false, properties: properties)
        case .mappingStart(let properties):
            try open(isMapping: true, properties: properties)
        case .sequenceEnd, .mappingEnd:
            // libyaml pairs start and end events, so the stack is never empty here.
            let collection = stack.removeLast()
            let value: JSONValue = collection.isMapping ? .object(collection.members)
                                                        : .array(collection.items)
            let node = Node(value: value, scalarText: nil,
                            size: nodeCount - collection.nodeCountAtStart)
            try add(node, anchor: collection.properties.anchor, mark: collection.properties.mark)
        }
    }

    // MARK: - Nodes

    private mutating func open(isMapping: Bool, properties: YAMLEvent.NodeProperties) throws {
        let mark = properties.mark
        if let tag = properties.tag {
            let expected = YAMLCoreSchema.tagPrefix + (isMapping ? "map" : "seq")
            guard tag == expected || tag == "!" else {
                throw YAMLError(code: .unsupportedTag, line: mark.line, column: mark.column,
                                message: "unsupported tag \(YAMLCoreSchema.shortTag(tag)) on a "
                                    + (isMapping ? "mapping: use !!map or remove the tag"
                                                 : "sequence: use !!seq or remove the tag"))
            }
        }
        guard stack.count < maxDepth else {
            throw YAMLError(code: .depthLimit, line: mark.line, column: mark.column,
                            message: "sequences and mappings are nested more than \(maxDepth) levels deep")
        }

        // The collection itself counts as one node, before its children.
        nodeCount += 1
        stack.append(Collection(isMapping: isMapping, properties: properties,
                                nodeCountAtStart: nodeCount - 1))
    }

    private mutating func addAlias(_ anchor: String, mark: YAMLEvent.Mark) throws {
        guard var node = anchors[anchor] else {
            // An anchor still being built, as in `&a [*a]`, is not in `anchors` yet either.
            throw YAMLError(code: .undefinedAlias, line: mark.line, column: mark.column,
                            message: "alias *\(anchor) refers to no complete anchor &\(anchor) "
                                + "before it in this document")
        }

        // Checked here only, so a document without aliases has no size limit. An alias copies
        // its whole subtree, which is how nested aliases ("billion laughs") grow exponentially.
        nodeCount += node.size
        guard nodeCount <= maxNodesPerDocument else {
            throw YAMLError(code: .aliasExpansionLimit, line: mark.line, column: mark.column,
                            message: "alias *\(anchor) expands the document beyond "
                                + "\(maxNodesPerDocument) nodes")
        }
        node.isEmptyDocument = false
        try add(node, anchor: nil, mark: mark)
    }

    /// Places a completed node in the open collection, or makes it the document's root.
    private mutating func add(_ node: Node, anchor: String?, mark: YAMLEvent.Mark) throws {
        if let anchor {
            anchors[anchor] = node
        }
        guard !stack.isEmpty else {
            root = node
            return
        }

        let top = stack.count - 1
        guard stack[top].isMapping else {
            stack[top].items.append(node.value)
            return
        }
        guard let key = stack[top].pendingKey else {
            try addKey(node, mark: mark)
            return
        }
        stack[top].members[key] = node.value
        stack[top].pendingKey = nil
    }

    private mutating func addKey(_ node: Node, mark: YAMLEvent.Mark) throws {
        guard let key = node.scalarText else {
            throw YAMLError(code: .invalidKey, line: mark.line, column: mark.column,
                            message: "mapping keys must be scalars, but this key is a "
                                + (node.value.isArray ? "sequence" : "mapping"))
        }
        let top = stack.count - 1
        guard stack[top].members[key] == nil else {
            throw YAMLError(code: .duplicateKey, line: mark.line, column: mark.column,
                            message: "duplicate mapping key \"\(key)\"")
        }
        stack[top].pendingKey = key
    }
}

private extension JSONValue {
    var isArray: Bool {
        if case .array = self { return true }
        return false
    }
}
