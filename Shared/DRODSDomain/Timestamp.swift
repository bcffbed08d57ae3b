import Foundation

/// RFC 3339 timestamps (the internet profile of ISO 8601) as used on the wire.
enum Timestamp {
    /// Parses `2023-07-20T08:30:00Z`, `2023-07-20T08:30:00.250+02:00` and the like. A time
    /// zone is required because a bare local time is ambiguous across clusters.
    static func parse(_ text: String) -> Date? {
        let plain = ISO8601DateFormatter()
        plain.formatOptions = [.withInternetDateTime]
        if let date = plain.date(from: text) { return date }
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return fractional.date(from: text)
    }

    /// Formats in UTC with `Z`, with milliseconds only when the date has them.
    static func format(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        let hasFraction = date.timeIntervalSince1970.rounded(.down) != date.timeIntervalSince1970
        formatter.formatOptions = hasFraction
            ? [.withInternetDateTime, .withFractionalSeconds] : [.withInternetDateTime]
        return formatter.string(from: date)
    }
}
