import DRODSCore

/// How many of a cluster's nodes are ready.
public struct NodeCounts: Equatable, Hashable, Codable, Sendable {
    public var ready: Int
    public var notReady: Int

    public init(ready: Int, notReady: Int) {
        self.ready = ready
        self.notReady = notReady
    }

    public func jsonValue() -> JSONValue {
        .object(["ready": .number(Double(ready)), "notReady": .number(Double(notReady))])
    }
}
