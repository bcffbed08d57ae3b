import DRODSCore
import DRODSDomain
import XCTest

final class QuantityTests: XCTestCase {
    func testParseValidQuantities() throws {
        let cases: [(text: String, milli: Int64, value: Int64)] = [
            ("100m", 100, 1),
            ("0.5", 500, 1),
            ("2", 2000, 2),
            ("1Gi", 1_073_741_824_000, 1_073_741_824),
            ("512Mi", 536_870_912_000, 536_870_912),
            ("1G", 1_000_000_000_000, 1_000_000_000),
            ("1e3", 1_000_000, 1000),
            ("1E3", 1_000_000, 1000),
            ("1.5Ki", 1_536_000, 1536),
            ("1k", 1_000_000, 1000),
            ("250n", 1, 1),
            ("1u", 1, 1),
            ("0", 0, 0),
            ("0.0001", 1, 1),
            ("1.0001", 1001, 2),
            (".5", 500, 1),
            ("5.", 5000, 5),
            ("+3", 3000, 3),
            ("-100m", -100, 0),
            ("-1.5", -1500, -1),
            ("2e-3", 2, 1),
            ("1P", 1_000_000_000_000_000_000, 1_000_000_000_000_000),
            ("4Ti", 4_398_046_511_104_000, 4_398_046_511_104),
            ("000012", 12000, 12),
        ]
        for testCase in cases {
            let quantity = try Quantity.parse(testCase.text)
            XCTAssertEqual(quantity.milliValue, testCase.milli, "milliValue of \(testCase.text)")
            XCTAssertEqual(quantity.value, testCase.value, "value of \(testCase.text)")
        }
    }

    func testParseRejectsInvalidText() {
        let cases: [(text: String, fragment: String)] = [
            ("", "does not start with a number"),
            ("abc", "does not start with a number"),
            ("1Gb", "unknown suffix \"Gb\""),
            ("1 Gi", "unknown suffix \" Gi\""),
            ("1.2.3", "unknown suffix"),
            ("1e", "unknown suffix"),
            ("1ki", "unknown suffix"),
            ("m", "does not start with a number"),
            ("1Ei", "too large"),
            ("1e20", "too large"),
            ("1234567890123456789", "more than 18 significant digits"),
        ]
        for testCase in cases {
            XCTAssertThrowsError(try Quantity.parse(testCase.text), testCase.text) { error in
                let message = (error as? QuantityError)?.message ?? ""
                XCTAssertTrue(message.contains(testCase.fragment), "\(testCase.text): \(message)")
            }
        }
    }

    func testParseAcceptsJSONNumbers() throws {
        XCTAssertEqual(try Quantity.parse(JSONValue.number(0.5)).milliValue, 500)
        XCTAssertEqual(try Quantity.parse(JSONValue.number(4)).milliValue, 4000)
        XCTAssertEqual(try Quantity.parse(JSONValue.number(1e-7)).milliValue, 1)
        XCTAssertThrowsError(try Quantity.parse(JSONValue.bool(true)))
        XCTAssertThrowsError(try Quantity.parse(JSONValue.number(1e30)))
    }

    func testDescriptionIsCanonical() throws {
        XCTAssertEqual(try Quantity.parse("1500m").description, "1500m")
        XCTAssertEqual(try Quantity.parse("2000m").description, "2")
        XCTAssertEqual(try Quantity.parse("1Ki").description, "1024")
    }

    func testCodableRoundTrip() throws {
        let quantity = try Quantity.parse("1.5Gi")
        let data = try WireJSON.encode([quantity])
        XCTAssertEqual(try WireJSON.decode([Quantity].self, from: data), [quantity])
    }
}
