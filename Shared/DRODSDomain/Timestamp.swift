import Foundation

/// RFC 3339 timestamps (the internet profile of ISO 8601) as used on the wire.
///
/// The common forms are parsed and formatted by hand, because creating an
/// `ISO8601DateFormatter` opens an ICU formatter, which took more gateway CPU time than the
/// rest of a metrics report's validation (measured with `perf` under `drods bench metrics`).
/// Everything else goes to `ISO8601DateFormatter`, so the accepted inputs and the results are
/// the same as before.
enum Timestamp {
    /// Parses `2023-07-20T08:30:00Z`, `2023-07-20T08:30:00.250+02:00` and the like. A time
    /// zone is required because a bare local time is ambiguous across clusters.
    static func parse(_ text: String) -> Date? {
        if let date = RFC3339Fast.parse(text) { return date }
        let plain = ISO8601DateFormatter()
        plain.formatOptions = [.withInternetDateTime]
        if let date = plain.date(from: text) { return date }
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return fractional.date(from: text)
    }

    /// Formats in UTC with `Z`, with milliseconds only when the date has them once rounded to
    /// the millisecond, so that formatting a parsed timestamp gives the same text again.
    static func format(_ date: Date) -> String {
        let milliseconds = (date.timeIntervalSince1970 * 1000).rounded()
        let hasFraction = milliseconds.truncatingRemainder(dividingBy: 1000) != 0
        if let text = RFC3339Fast.format(date, withMilliseconds: hasFraction) { return text }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = hasFraction
            ? [.withInternetDateTime, .withFractionalSeconds] : [.withInternetDateTime]
        return formatter.string(from: date)
    }
}

/// The hand-written half of `Timestamp`. It computes what swift-corelibs-foundation's
/// `ISO8601DateFormatter` computes through ICU: a count of milliseconds since 1970 (ICU's
/// `UDate`), converted to and from `Date` with the same floating-point steps. It returns nil
/// for anything it does not handle, and the caller then asks the formatter.
enum RFC3339Fast {
    /// Seconds from 1970-01-01 to 2001-01-01, Foundation's reference date.
    private static let referenceOffset = 978_307_200.0
    /// Years handled here. ICU's calendar switches to the Julian calendar before 1582, so
    /// earlier dates are left to it.
    private static let years = 1600...9999

    /// Parses `YYYY-MM-DDTHH:MM:SS` with no fraction or exactly three fraction digits,
    /// followed by `Z` or `±HH:MM`. Returns nil for any other shape, or for a field out of
    /// range, such as a 60th second or 30 February.
    static func parse(_ text: String) -> Date? {
        text.utf8.withContiguousStorageIfAvailable(parse(bytes:)) ?? nil
    }

    private static func parse(bytes: UnsafeBufferPointer<UInt8>) -> Date? {
        guard bytes.count >= 20 else { return nil }
        func number(_ start: Int, _ length: Int) -> Int? {
            var value = 0
            for index in start..<(start + length) {
                let digit = Int(bytes[index]) - 48
                guard (0...9).contains(digit) else { return nil }
                value = value * 10 + digit
            }
            return value
        }
        guard bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
              bytes[10] == UInt8(ascii: "T"), bytes[13] == UInt8(ascii: ":"),
              bytes[16] == UInt8(ascii: ":"),
              let year = number(0, 4), let month = number(5, 2), let day = number(8, 2),
              let hour = number(11, 2), let minute = number(14, 2), let second = number(17, 2),
              years.contains(year), (1...12).contains(month),
              (1...daysIn(month: month, year: year)).contains(day),
              hour < 24, minute < 60, second < 60 else { return nil }

        var index = 19
        var milliseconds = 0
        if bytes[index] == UInt8(ascii: ".") {
            guard bytes.count >= index + 5, let fraction = number(index + 1, 3),
                  !(48...57).contains(bytes[index + 4]) else { return nil }
            milliseconds = fraction
            index += 4
        }

        var offsetSeconds = 0
        switch bytes[index] {
        case UInt8(ascii: "Z"):
            guard bytes.count == index + 1 else { return nil }
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            guard bytes.count == index + 6, bytes[index + 3] == UInt8(ascii: ":"),
                  let offsetHours = number(index + 1, 2), let offsetMinutes = number(index + 4, 2),
                  offsetHours < 18, offsetMinutes < 60 else { return nil }
            offsetSeconds = (offsetHours * 60 + offsetMinutes) * 60
            if bytes[index] == UInt8(ascii: "-") { offsetSeconds = -offsetSeconds }
        default:
            return nil
        }

        let days = daysSince1970(year: year, month: month, day: day)
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds
        let udate = Double(seconds * 1000 + milliseconds)
        return Date(timeIntervalSinceReferenceDate: udate / 1000.0 - referenceOffset)
    }

    /// Formats `date` in UTC as `YYYY-MM-DDTHH:MM:SSZ`, or with `.SSS` before the `Z`.
    /// The time is rounded to the nearest millisecond, as the formatter does. Returns nil
    /// outside `years`.
    static func format(_ date: Date, withMilliseconds: Bool) -> String? {
        let udate = (date.timeIntervalSinceReferenceDate + referenceOffset) * 1000.0
        guard udate.isFinite else { return nil }
        let floored = (udate + 0.5).rounded(.down)
        guard abs(floored) < 1e15 else { return nil }
        let totalMilliseconds = Int(floored)
        let (totalSeconds, milliseconds) = floorDivision(totalMilliseconds, 1000)
        let (days, secondOfDay) = floorDivision(totalSeconds, 86_400)
        let (year, month, day) = civilDate(daysSince1970: days)
        guard years.contains(year) else { return nil }

        var bytes = [UInt8]()
        bytes.reserveCapacity(24)
        func append(_ value: Int, digits: Int) {
            var divisor = 1
            for _ in 1..<digits { divisor *= 10 }
            var rest = value
            while divisor > 0 {
                bytes.append(UInt8(48 + rest / divisor))
                rest %= divisor
                divisor /= 10
            }
        }
        append(year, digits: 4)
        bytes.append(UInt8(ascii: "-"))
        append(month, digits: 2)
        bytes.append(UInt8(ascii: "-"))
        append(day, digits: 2)
        bytes.append(UInt8(ascii: "T"))
        append(secondOfDay / 3600, digits: 2)
        bytes.append(UInt8(ascii: ":"))
        append(secondOfDay / 60 % 60, digits: 2)
        bytes.append(UInt8(ascii: ":"))
        append(secondOfDay % 60, digits: 2)
        if withMilliseconds {
            bytes.append(UInt8(ascii: "."))
            append(milliseconds, digits: 3)
        }
        bytes.append(UInt8(ascii: "Z"))
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func floorDivision(_ value: Int, _ divisor: Int) -> (Int, Int) {
        let remainder = value % divisor
        return remainder < 0 ? (value / divisor - 1, remainder + divisor) : (value / divisor, remainder)
    }

    private static func isLeapYear(_ year: Int) -> Bool {
        year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Returns the days from 1970-01-01 to a proleptic Gregorian date. Counting from 1 March
    /// puts the leap day last, so each 400-year era has the same 146,097 days.
    private static func daysSince1970(year: Int, month: Int, day: Int) -> Int {
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = floorDivision(shiftedYear, 400).0
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// Converts days since 1970-01-01 back to a proleptic Gregorian date; the inverse of
    /// `daysSince1970`.
    private static func civilDate(daysSince1970 days: Int) -> (year: Int, month: Int, day: Int) {
        let shifted = days + 719_468
        let era = floorDivision(shifted, 146_097).0
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
