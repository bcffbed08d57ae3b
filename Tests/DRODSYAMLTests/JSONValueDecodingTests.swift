import DRODSCore
import Foundation
import XCTest

final class JSONValueDecodingTests: XCTestCase {
    private func decode(_ text: String) throws -> JSONValue {
        try WireJSON.decode(JSONValue.self, from: Data(text.utf8))
    }

    func testEveryTypeDecodesAsItself() throws {
        let cases: [(String, JSONValue)] = [
            ("null", .null), ("true", .bool(true)), ("false", .bool(false)), ("0", .number(0)),
            ("1", .number(1)), ("-2.5e3", .number(-2500)), ("\"1\"", .string("1")),
            ("\"true\"", .string("true")), ("\"\"", .string("")), ("[]", .array([])), ("{}", .object([:])),
            (#"[1, "1", true, null, [false], {"a": 1}]"#,
             .array([.number(1), .string("1"), .bool(true), .null, .array([.bool(false)]),
                     .object(["a": .number(1)])])),
            (#"{"n": 1, "s": "x", "b": false, "z": null, "o": {"p": [2]}}"#,
             .object(["n": .number(1), "s": .string("x"), "b": .bool(false), "z": .null,
                      "o": .object(["p": .array([.number(2)])])])),
        ]
        for (text, expected) in cases {
            XCTAssertEqual(try decode(text), expected, text)
        }
    }

    func testInvalidDocumentsAreRejected() {
        for text in ["", "{", "{\"a\" 1}", "tru", "01", "\"unterminated", "1 2"] {
            XCTAssertThrowsError(try decode(text), text)
        }
    }
}
