import Foundation

/// Timestamp rules shared by the data plane reports.
enum ReportClock {
    /// How far a report's timestamp may lie ahead of the server clock: agents' clocks drift,
    /// but a report from the future would otherwise outrank every newer one.
    static let maxFutureSkew: TimeInterval = 5 * 60

    static func readTimestamp(_ field: JSONField?, now: Date) -> Date? {
        guard let field, let date = field.timestamp() else { return nil }
        if date.timeIntervalSince(now) > maxFutureSkew {
            field.reject("must not be more than 5 minutes in the future (server time "
                         + "\(Timestamp.format(now))); check the agent's clock")
            return nil
        }
        return date
    }
}
