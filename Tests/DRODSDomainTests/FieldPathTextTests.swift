import DRODSCore
@testable import DRODSDomain
import XCTest

/// The bare-key shortcut must write what `FieldPath` writes, and the result must parse back.
final class FieldPathTextTests: XCTestCase {
    func testKeysMatchFieldPath() throws {
        let keys = ["cpuUsage", "a", "gpu_by-model/x9", "app.kubernetes.io/name", "with space", "", "é",
                    "e\u{301}", "quote\"d", "back\\slash", "Z0"]
        for path in ["", "spec", "spec.containers[0]"] {
            for key in keys {
                let segment = FieldPath(segments: [.key(key)]).description
                let expected = segment.hasPrefix("[") || path.isEmpty ? path + segment : "\(path).\(segment)"
                let text = FieldPathText.appending(key, to: path)
                XCTAssertEqual(text, expected, "\(path) + \(key.debugDescription)")
                XCTAssertEqual(try FieldPath.parse(text).segments.last, .key(key), text)
            }
        }
    }
}
