/// The result of one named readiness check, such as whether the event store is reachable.
public struct ReadinessCheck: Sendable, Equatable {
    public var isReady: Bool
    /// The reason the check fails, for operators reading `/readyz`, or nil when it passes.
    public var message: String?

    public init(isReady: Bool, message: String? = nil) {
        self.isReady = isReady
        self.message = message
    }

    /// A passing check.
    public static let ready = ReadinessCheck(isReady: true)

    /// Returns a failing check with the reason to show in `/readyz`.
    public static func notReady(_ message: String) -> ReadinessCheck {
        ReadinessCheck(isReady: false, message: message)
    }
}
