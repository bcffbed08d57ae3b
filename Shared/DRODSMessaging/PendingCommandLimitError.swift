/// Raised by `CommandClient.send` when `maxPendingCommands` commands already wait for their
/// replies, so that a stalled owner cannot make waiting requests pile up without bound.
public struct PendingCommandLimitError: Error, CustomStringConvertible, Sendable {
    public let limit: Int

    public init(limit: Int) {
        self.limit = limit
    }

    public var description: String {
        "\(limit) commands are already waiting for replies; try again later"
    }
}
