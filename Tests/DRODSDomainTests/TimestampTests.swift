@testable import DRODSDomain
import Foundation
import XCTest

/// The hand-written RFC 3339 path must give exactly what `ISO8601DateFormatter` gives, so
/// each case compares the two.
final class TimestampTests: XCTestCase {
    private func formatterParse(_ text: String) -> Date? {
        let plain = ISO8601DateFormatter()
        plain.formatOptions = [.withInternetDateTime]
        if let date = plain.date(from: text) { return date }
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return fractional.date(from: text)
    }

    private func formatterFormat(_ date: Date, withMilliseconds: Bool) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = withMilliseconds
            ? [.withInternetDateTime, .withFractionalSeconds] : [.withInternetDateTime]
        return formatter.string(from: date)
    }

    func testParseMatchesFormatter() {
        let texts = [
            "2023-07-20T08:30:00Z", "2023-07-20T08:30:00.250Z", "2023-07-20T08:30:00.001+02:00",
            "2023-07-20T08:30:00-05:30", "2024-02-29T23:59:59.999Z", "1970-01-01T00:00:00Z",
            "1969-12-31T23:59:59.500Z", "1600-03-01T00:00:00Z", "9999-12-31T23:59:59.999Z",
            "2000-01-01T00:00:00+14:00", "2026-12-05T01:12:17Z",
        ]
        for text in texts {
            let fast = RFC3339Fast.parse(text)
            XCTAssertNotNil(fast, text)
            XCTAssertEqual(fast, formatterParse(text), text)
            XCTAssertEqual(Timestamp.parse(text), formatterParse(text), text)
        }
    }

    func testParseLeavesOtherFormsToFormatter() {
        let texts = [
            "2023-02-29T08:30:00Z", "2023-04-31T08:30:00Z", "2023-07-20T24:00:00Z",
            "2023-07-20T08:60:00Z", "2023-07-20T08:30:60Z", "2023-07-20T08:30:00",
            "2023-07-20 08:30:00Z", "2023-07-20t08:30:00z", "2023-07-20T08:30:00.25Z",
            "2023-07-20T08:30:00.123456Z", "2023-07-20T08:30:00+0200", "1500-01-01T00:00:00Z",
            "2023-07-20T08:30:00Zjunk", "", "not a time",
        ]
        for text in texts {
            XCTAssertNil(RFC3339Fast.parse(text), text)
            XCTAssertEqual(Timestamp.parse(text), formatterParse(text), text)
        }
    }

    func testFormatMatchesFormatter() {
        var generator = SystemRandomNumberGenerator()
        var dates = [Date(timeIntervalSince1970: 0), Date(timeIntervalSince1970: -0.5),
                     Date(timeIntervalSince1970: 1_689_841_800.25),
                     Date(timeIntervalSince1970: 1_689_841_800.9999),
                     Date(timeIntervalSince1970: 253_402_300_799.999)]
        for _ in 0..<2000 {
            // 1600 to 9999, with sub-millisecond parts that must round as the formatter does.
            dates.append(Date(timeIntervalSince1970: Double.random(in: -11_676_096_000...253_402_300_799,
                                                                    using: &generator)))
        }
        for date in dates {
            for withMilliseconds in [false, true] {
                let fast = RFC3339Fast.format(date, withMilliseconds: withMilliseconds)
                XCTAssertEqual(fast, formatterFormat(date, withMilliseconds: withMilliseconds),
                               "\(date.timeIntervalSince1970)")
            }
            let hasFraction = (date.timeIntervalSince1970 * 1000).rounded().truncatingRemainder(dividingBy: 1000) != 0
            XCTAssertEqual(Timestamp.format(date), formatterFormat(date, withMilliseconds: hasFraction))
        }
    }

    func testFormatLeavesOtherYearsToFormatter() {
        let early = Date(timeIntervalSince1970: -15_000_000_000)
        XCTAssertNil(RFC3339Fast.format(early, withMilliseconds: false))
        XCTAssertEqual(Timestamp.format(early), formatterFormat(early, withMilliseconds: false))
    }

    func testFormatThenParseRoundTrips() throws {
        let date = Date(timeIntervalSince1970: 1_689_841_800.25)
        let text = Timestamp.format(date)
        XCTAssertEqual(text, "2023-07-20T08:30:00.250Z")
        XCTAssertEqual(Timestamp.parse(text), date)
    }

    /// A fraction below half a millisecond rounds away, so the text has none, and formatting
    /// the parsed text gives it back unchanged.
    func testSubMillisecondFractionRoundTrips() throws {
        for seconds in [1_689_841_800.0004, 1_689_841_800.9996, 1_689_841_800.0006] {
            let text = Timestamp.format(Date(timeIntervalSince1970: seconds))
            let parsed = try XCTUnwrap(Timestamp.parse(text), text)
            XCTAssertEqual(Timestamp.format(parsed), text)
        }
        XCTAssertEqual(Timestamp.format(Date(timeIntervalSince1970: 1_689_841_800.0004)), "2023-07-20T08:30:00Z")
        XCTAssertEqual(Timestamp.format(Date(timeIntervalSince1970: 1_689_841_800.0006)), "2023-07-20T08:30:00.001Z")
    }
}
