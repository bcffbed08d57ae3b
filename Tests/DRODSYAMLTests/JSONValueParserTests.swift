import DRODSCore
import Foundation
import XCTest

/// `WireJSON.decode(JSONValue.self, from:)` parses strict JSON itself and must return what
/// JSONDecoder returns, or fail where it fails, so each case compares the two.
final class JSONValueParserTests: XCTestCase {
    private func assertSameAsDecoder(_ text: String, file: StaticString = #filePath, line: UInt = #line) {
        let data = Data(text.utf8)
        let expected = try? WireJSON.decoder().decode(JSONValue.self, from: data)
        let actual = try? WireJSON.decode(JSONValue.self, from: data)
        XCTAssertEqual(actual, expected, text.debugDescription, file: file, line: line)
    }

    func testEdgeCasesMatchDecoder() {
        let texts = [
            "null", "true", "false", "0", "-0", "1", "-1.5", "1e3", "1E+3", "2.5e-7", "1e400", "-1e400",
            "1e-400", "-1e-400", "0e5", "-0.0e-10", "5e-324", "1e-310", "2.2250738585072014e-308",
            "1.7976931348623157e308", "1.8e308", "12345678901234567890", "0.1", "123456789.123456789", "01", "1.", ".5", "-", "+1",
            "\"\"", "\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\"", "\"\\u00e9\\u0000\\u001F\"", "\"\\ud83d\\ude00\"",
            "\"\\ud83d\"", "\"\\ude00\"", "\"\\ud83dx\"", "\"\\u12\"", "\"\\x\"", "\"é中😀\"", "\"a\u{1}b\"",
            "\"unterminated", "[]", "{}", "[1,]", "{\"a\":1,}", "[1 2]", "{\"a\" 1}", "{\"a\":1,\"a\":2}",
            " \t\r\n{ \"a\" : [ 1 , { } ] } \n", "[[[[[[[[[[1]]]]]]]]]]", "{\"e\\u0301\":1,\"é\":2}",
            "nul", "truex", "[true false]", "1 2", "", " ", "\u{feff}{}", "{\"k\":\"v\"}garbage",
            String(repeating: "[", count: 300) + String(repeating: "]", count: 300),
        ]
        for text in texts {
            assertSameAsDecoder(text)
        }
    }

    func testInvalidUTF8MatchesDecoder() {
        for bytes: [UInt8] in [[0x22, 0xFF, 0x22], [0x22, 0xC3, 0x22], [0x22, 0xED, 0xA0, 0x80, 0x22]] {
            let data = Data(bytes)
            let expected = try? WireJSON.decoder().decode(JSONValue.self, from: data)
            XCTAssertEqual(try? WireJSON.decode(JSONValue.self, from: data), expected, "\(bytes)")
        }
    }

    func testRandomDocumentsMatchDecoder() throws {
        var generator = SystemRandomNumberGenerator()
        let alphabet: [Character] = ["a", "Z", "0", "_", "/", " ", "\"", "\\", "\n", "\u{1}", "é", "中", "😀", "\u{7f}"]
        func randomString() -> String {
            String((0..<Int.random(in: 0...6, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! })
        }
        func randomValue(depth: Int) -> JSONValue {
            switch Int.random(in: 0..<(depth > 2 ? 4 : 6), using: &generator) {
            case 0: .null
            case 1: .bool(Bool.random(using: &generator))
            case 2:
                .number([Double(Int.random(in: -1_000_000...1_000_000, using: &generator)),
                         Double.random(in: -1e300...1e300, using: &generator),
                         Double.random(in: -1...1, using: &generator),
                         Double.random(in: -1e-300...1e-300, using: &generator)].randomElement(using: &generator)!)
            case 3: .string(randomString())
            case 4: .array((0..<Int.random(in: 0...4, using: &generator)).map { _ in randomValue(depth: depth + 1) })
            default:
                .object(Dictionary((0..<Int.random(in: 0...4, using: &generator)).map { _ in
                    (randomString(), randomValue(depth: depth + 1))
                }, uniquingKeysWith: { first, _ in first }))
            }
        }
        for _ in 0..<3000 {
            let value = randomValue(depth: 0)
            let text = String(decoding: try WireJSON.encoder().encode(value), as: UTF8.self)
            XCTAssertEqual(try WireJSON.decode(JSONValue.self, from: Data(text.utf8)), value, text)
            // One byte cut off makes most documents invalid; both decoders must agree on it.
            assertSameAsDecoder(String(text.dropLast()))
        }
    }
}
