@testable import DRODSCore
import Foundation
import XCTest

/// The encoder-free JSON paths must handle the common documents themselves; the comparison
/// tests alone would also pass if every document fell back to Foundation.
final class JSONFastPathTests: XCTestCase {
    func testParserHandlesMetricsReport() {
        let text = """
            {"cluster": "bench-domain-1", "timestamp": "2026-12-05T01:12:17Z", "cpuUsage": 12.5,
             "memoryAvailable": 200, "cpuTotalMillis": 64000, "podsUsed": 20, "tags": ["a", "\\u00e9"],
             "ok": true, "none": null}
            """
        let parsed = Data(text.utf8).withUnsafeBytes { raw in
            var parser = JSONValueParser(raw.bindMemory(to: UInt8.self))
            return parser.parseDocument()
        }
        XCTAssertEqual(parsed?["cluster"], .string("bench-domain-1"))
        XCTAssertEqual(parsed?["cpuUsage"], .number(12.5))
        XCTAssertEqual(parsed?["tags"], .array([.string("a"), .string("é")]))
        XCTAssertEqual(parsed?["ok"], .bool(true))
        XCTAssertEqual(parsed?["none"], .null)
    }

    func testWriterHandlesASCIIKeys() {
        var writer = JSONValueWriter()
        let value = JSONValue.object(["b": .number(1.5), "a": .array([.string("x/y"), .null, .bool(false)])])
        XCTAssertTrue(writer.write(value))
        XCTAssertEqual(String(decoding: writer.bytes, as: UTF8.self), #"{"a":["x/y",null,false],"b":1.5}"#)
    }
}
