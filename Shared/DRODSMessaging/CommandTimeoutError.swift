/// Raised by `CommandClient.send` when no reply to a command arrived in time. The command may
/// still be handled later, so a caller that retries must reuse the same command id, which the
/// owner deduplicates.
public struct CommandTimeoutError: Error, CustomStringConvertible, Sendable {
    public let commandID: String
    public let topic: String
    /// Seconds waited.
    public let timeout: Double

    public init(commandID: String, topic: String, timeout: Double) {
        self.commandID = commandID
        self.topic = topic
        self.timeout = timeout
    }

    public var description: String {
        "no reply to command \(commandID) on \(topic) within \(timeout) s; is its owner running?"
    }
}
