import Foundation

/// Durations as people type and read them: `90s`, `15m`, `2h`, `7d`, or combined as `1h30m`.
public enum DurationText {
    private static let unitSeconds: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86400]

    /// Parses a duration such as `45s`, `10m`, `1h30m` or `2d` into seconds. Returns nil for
    /// text that is empty, has a number without a unit or uses another unit.
    public static func seconds(from text: String) -> Double? {
        var total = 0.0
        var digits = ""
        for character in text {
            if character.isASCII && character.isNumber {
                digits.append(character)
            } else if let unit = unitSeconds[character], let value = Double(digits) {
                total += value * unit
                digits = ""
            } else {
                return nil
            }
        }
        guard digits.isEmpty, !text.isEmpty else { return nil }
        return total
    }

    /// Formats an age in at most two units, coarser as it grows: `42s`, `3m20s`, `25m`,
    /// `4h5m`, `15h`, `3d4h`, `40d`. Negative ages, from clocks that disagree, show as `0s`.
    public static func age(seconds: Double) -> String {
        let whole = max(0, Int(seconds))
        let minutes = whole / 60
        let hours = whole / 3600
        let days = whole / 86400
        switch whole {
        case ..<60: return "\(whole)s"
        case ..<600: return whole % 60 == 0 ? "\(minutes)m" : "\(minutes)m\(whole % 60)s"
        case ..<3600: return "\(minutes)m"
        case ..<36000: return minutes % 60 == 0 ? "\(hours)h" : "\(hours)h\(minutes % 60)m"
        case ..<86400: return "\(hours)h"
        case ..<864000: return hours % 24 == 0 ? "\(days)d" : "\(days)d\(hours % 24)h"
        default: return "\(days)d"
        }
    }

    /// Parses an ISO 8601 instant with or without fractional seconds.
    public static func instant(from text: String) -> Date? {
        let plain = ISO8601DateFormatter()
        if let date = plain.date(from: text) { return date }
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return fractional.date(from: text)
    }

    /// Returns the age of the instant in `text` at `now`, or `<unknown>` when `text` is nil or
    /// not an ISO 8601 instant.
    public static func age(since text: String?, now: Date) -> String {
        guard let text, let date = instant(from: text) else { return "<unknown>" }
        return age(seconds: now.timeIntervalSince(date))
    }
}
