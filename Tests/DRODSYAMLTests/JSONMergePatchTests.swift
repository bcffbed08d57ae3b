import DRODSCore
import Foundation
import XCTest

final class JSONMergePatchTests: XCTestCase {
    private func json(_ text: String) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
    }

    /// The examples of RFC 7396, appendix A: original, patch, result.
    func testRFC7396AppendixExamples() throws {
        let cases: [(target: String, patch: String, result: String)] = [
            (#"{"a":"b"}"#, #"{"a":"c"}"#, #"{"a":"c"}"#),
            (#"{"a":"b"}"#, #"{"b":"c"}"#, #"{"a":"b","b":"c"}"#),
            (#"{"a":"b"}"#, #"{"a":null}"#, #"{}"#),
            (#"{"a":"b","b":"c"}"#, #"{"a":null}"#, #"{"b":"c"}"#),
            (#"{"a":["b"]}"#, #"{"a":"c"}"#, #"{"a":"c"}"#),
            (#"{"a":"c"}"#, #"{"a":["b"]}"#, #"{"a":["b"]}"#),
            (#"{"a":{"b":"c"}}"#, #"{"a":{"b":"d","c":null}}"#, #"{"a":{"b":"d"}}"#),
            (#"{"a":[{"b":"c"}]}"#, #"{"a":[1]}"#, #"{"a":[1]}"#),
            (#"["a","b"]"#, #"["c","d"]"#, #"["c","d"]"#),
            (#"{"a":"b"}"#, #"["c"]"#, #"["c"]"#),
            (#"{"a":"foo"}"#, #"null"#, #"null"#),
            (#"{"a":"foo"}"#, #""bar""#, #""bar""#),
            (#"{"e":null}"#, #"{"a":1}"#, #"{"e":null,"a":1}"#),
            (#"[1,2]"#, #"{"a":"b","c":null}"#, #"{"a":"b"}"#),
            (#"{}"#, #"{"a":{"bb":{"ccc":null}}}"#, #"{"a":{"bb":{}}}"#),
        ]
        for (target, patch, result) in cases {
            XCTAssertEqual(JSONMergePatch.apply(try json(patch), to: try json(target)), try json(result),
                           "\(patch) applied to \(target)")
        }
    }

    func testNestedMergeKeepsSiblings() throws {
        let target = try json(#"{"spec":{"replicas":1,"template":{"labels":{"app":"web","tier":"fe"}}}}"#)
        let patch = try json(#"{"spec":{"template":{"labels":{"tier":null,"zone":"east"}}}}"#)
        XCTAssertEqual(JSONMergePatch.apply(patch, to: target),
                       try json(#"{"spec":{"replicas":1,"template":{"labels":{"app":"web","zone":"east"}}}}"#))
    }
}
