import DRODSCore
import Foundation
import XCTest

/// `WireJSON.encode(_: JSONValue)` must produce the bytes `JSONEncoder` produces with the wire
/// settings, so each case compares the two.
final class JSONValueWriterTests: XCTestCase {
    private func encoderBytes(_ value: JSONValue) throws -> Data {
        try WireJSON.encoder().encode(value)
    }

    func testFixedCasesMatchEncoder() throws {
        let cases: [JSONValue] = [
            .null, .bool(true), .bool(false), .number(0), .number(-0.0), .number(1), .number(0.1),
            .number(1e16), .number(1e21), .number(123_456_789_012_345_680), .number(2.5e-7),
            .number(.greatestFiniteMagnitude), .number(.leastNonzeroMagnitude), .number(1e15),
            .string(""), .string("a\"b\\c/d\n\r\t\u{8}\u{c}\u{0}\u{1}\u{1f}\u{7f}é\u{2028}\u{2029}😀"),
            .array([]), .object([:]),
            .object(["b": .number(1), "B": .number(2), "a10": .null, "a9": .bool(true), "é": .string("x"),
                     "_": .array([.number(1), .string("2")]), "": .object(["z": .null, "a": .null])]),
        ]
        for value in cases {
            XCTAssertEqual(try WireJSON.encode(value), try encoderBytes(value), "\(value)")
        }
    }

    func testRandomValuesMatchEncoder() throws {
        var generator = SystemRandomNumberGenerator()
        let alphabet: [Character] = ["a", "B", "z", "0", "9", "_", "-", "/", " ", "\"", "\\", "\n", "\u{1}",
                                     "é", "e\u{301}", "ß", "Ω", "中", "😀", "\u{7f}", "\u{a0}", "A", "a"]
        let asciiAlphabet = alphabet.filter(\.isASCII)
        func randomString(ascii: Bool = false) -> String {
            let letters = ascii ? asciiAlphabet : alphabet
            return String((0..<Int.random(in: 0...6, using: &generator)).map { _ in letters.randomElement(using: &generator)! })
        }
        func randomNumber() -> Double {
            switch Int.random(in: 0..<4, using: &generator) {
            case 0: Double(Int.random(in: -1_000_000...1_000_000, using: &generator))
            case 1: Double.random(in: -1...1, using: &generator)
            case 2: Double.random(in: -1e300...1e300, using: &generator)
            default: Double(Int64.random(in: .min ... .max, using: &generator)) / 1e7
            }
        }
        func randomValue(depth: Int, asciiKeys: Bool) -> JSONValue {
            switch Int.random(in: 0..<(depth > 2 ? 4 : 6), using: &generator) {
            case 0: .null
            case 1: .bool(Bool.random(using: &generator))
            case 2: .number(randomNumber())
            case 3: .string(randomString())
            case 4:
                .array((0..<Int.random(in: 0...4, using: &generator)).map { _ in
                    randomValue(depth: depth + 1, asciiKeys: asciiKeys)
                })
            default:
                .object(Dictionary((0..<Int.random(in: 0...5, using: &generator)).map { _ in
                    (randomString(ascii: asciiKeys), randomValue(depth: depth + 1, asciiKeys: asciiKeys))
                }, uniquingKeysWith: { first, _ in first }))
            }
        }
        // ASCII keys take the writer's own path; other keys send the value to JSONEncoder.
        for index in 0..<4000 {
            let value = randomValue(depth: 0, asciiKeys: index % 4 != 0)
            XCTAssertEqual(String(decoding: try WireJSON.encode(value), as: UTF8.self),
                           String(decoding: try encoderBytes(value), as: UTF8.self))
        }
    }

    /// Keys outside ASCII go to JSONEncoder, so the bytes match for them too.
    func testNonASCIIKeysMatchEncoder() throws {
        let value = JSONValue.object(["e\u{301}a": .number(1), "  ": .number(2), "é😀": .number(3),
                                      "z": .object(["中": .null, "a": .null])])
        XCTAssertEqual(try WireJSON.encode(value), try encoderBytes(value))
    }

    func testNonFiniteNumberThrowsAsEncoderDoes() {
        for number in [Double.nan, .infinity, -.infinity] {
            XCTAssertThrowsError(try WireJSON.encode(JSONValue.array([.number(number)])), "\(number)")
        }
    }
}
