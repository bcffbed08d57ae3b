import DRODSCore
import XCTest

final class FieldPathTests: XCTestCase {
    // MARK: - Parsing and printing

    func testParseAndPrint() throws {
        let cases: [(text: String, segments: [FieldPath.Segment], canonical: String)] = [
            ("metadata.labels.app", [.key("metadata"), .key("labels"), .key("app")], "metadata.labels.app"),
            ("spec.template.spec.containers[0].resources.limits",
             [.key("spec"), .key("template"), .key("spec"), .key("containers"), .index(0),
              .key("resources"), .key("limits")],
             "spec.template.spec.containers[0].resources.limits"),
            ("metadata.annotations[\"example.com/key\"]",
             [.key("metadata"), .key("annotations"), .key("example.com/key")],
             "metadata.annotations[\"example.com/key\"]"),
            ("metadata.annotations['example.com/key']",
             [.key("metadata"), .key("annotations"), .key("example.com/key")],
             "metadata.annotations[\"example.com/key\"]"),
            ("a[\"plain\"]", [.key("a"), .key("plain")], "a.plain"),
            ("items[12][3]", [.key("items"), .index(12), .index(3)], "items[12][3]"),
            ("[0].name", [.index(0), .key("name")], "[0].name"),
            ("[\"a.b\"].c", [.key("a.b"), .key("c")], "[\"a.b\"].c"),
            ("x[\"\"]", [.key("x"), .key("")], "x[\"\"]"),
            ("x[\"say \\\"hi\\\" \\\\ now\"]", [.key("x"), .key("say \"hi\" \\ now")],
             "x[\"say \\\"hi\\\" \\\\ now\"]"),
            ("x['it\\'s']", [.key("x"), .key("it's")], "x[\"it's\"]"),
            ("nvidia/gpu_count-2", [.key("nvidia/gpu_count-2")], "nvidia/gpu_count-2"),
            ("a.0", [.key("a"), .key("0")], "a.0"),
        ]
        for (text, segments, canonical) in cases {
            let path = try FieldPath.parse(text)
            XCTAssertEqual(path.segments, segments, text)
            XCTAssertEqual(path.description, canonical, text)
            XCTAssertEqual(try FieldPath.parse(path.description), path, text)
        }
    }

    func testParseErrorsNamePosition() {
        let cases: [(text: String, position: Int, message: String)] = [
            ("", 1, "the path is empty"),
            ("a..b", 3, "expected a key"),
            ("a.", 3, "expected a key"),
            (".a", 1, "expected a key"),
            ("a[", 3, "expected an index or a quoted key after \"[\""),
            ("a[0", 4, "expected \"]\""),
            ("a[-1]", 3, "expected an index or a quoted key after \"[\", found \"-\""),
            ("a[01]", 3, "index 01 has a leading zero"),
            ("a[99999999999999999999]", 3, "index 99999999999999999999 is too large"),
            ("a[\"open]", 3, "the quoted key has no closing \""),
            ("a[\"x\\n\"]", 5, "\"\\\" in a quoted key must be followed by \" or \"\\\""),
            ("a.b c", 4, "expected \".\" or \"[\" after a key or index, found \" \""),
            ("a.é", 3, "\"é\" is not allowed in a key without quotes; write the key as [\"...\"]"),
            ("a[0]b", 5, "expected \".\" or \"[\" after a key or index, found \"b\""),
        ]
        for (text, position, message) in cases {
            XCTAssertThrowsError(try FieldPath.parse(text), text) { error in
                let pathError = error as? FieldPathError
                XCTAssertEqual(pathError?.code, .invalidSyntax, text)
                XCTAssertEqual(pathError?.position, position, text)
                XCTAssertEqual(pathError?.message, message, text)
            }
        }
    }

    func testErrorDescriptionNamesPathAndPosition() {
        XCTAssertThrowsError(try FieldPath.parse("spec..replicas")) { error in
            XCTAssertEqual("\(error)", "invalid field path \"spec..replicas\" at position 6: expected a key")
        }
    }

    // MARK: - Reading

    private let deployment: JSONValue = .object([
        "metadata": .object([
            "labels": .object(["app": .string("webapp")]),
            "annotations": .object(["example.com/key": .string("v")]),
        ]),
        "spec": .object(["template": .object(["spec": .object(["containers": .array([
            .object(["name": .string("web"),
                     "resources": .object(["limits": .object(["cpu": .string("1")])])]),
        ])])])]),
    ])

    func testGetFollowsKeysAndIndexes() throws {
        let cases: [(path: String, expected: JSONValue?)] = [
            ("metadata.labels.app", .string("webapp")),
            ("metadata.annotations[\"example.com/key\"]", .string("v")),
            ("spec.template.spec.containers[0].name", .string("web")),
            ("spec.template.spec.containers[0].resources.limits", .object(["cpu": .string("1")])),
            ("spec.template.spec.containers[1]", nil),
            ("spec.template.spec.containers.name", nil),
            ("metadata[0]", nil),
            ("metadata.labels.app.name", nil),
            ("metadata.missing", nil),
        ]
        for (path, expected) in cases {
            XCTAssertEqual(try FieldPath.parse(path).get(in: deployment), expected, path)
        }
    }

    // MARK: - Writing

    func testSetReplacesValueAtPath() throws {
        let path = try FieldPath.parse("spec.template.spec.containers[0].resources.limits")
        let patched = try path.set(.object(["nvidia.com/gpu": .number(2)]), in: deployment)

        XCTAssertEqual(path.get(in: patched), .object(["nvidia.com/gpu": .number(2)]))
        XCTAssertEqual(try FieldPath.parse("spec.template.spec.containers[0].name").get(in: patched),
                       .string("web"))
        XCTAssertEqual(try FieldPath.parse("metadata.labels.app").get(in: patched), .string("webapp"))
    }

    func testSetCreatesIntermediateObjects() throws {
        let path = try FieldPath.parse("metadata.annotations[\"drods.io/owner\"].team")
        let patched = try path.set(.string("ml"), in: .object(["metadata": .object(["name": .string("x")])]))
        XCTAssertEqual(patched, .object(["metadata": .object([
            "name": .string("x"),
            "annotations": .object(["drods.io/owner": .object(["team": .string("ml")])]),
        ])]))
    }

    func testSetReplacesNullIntermediate() throws {
        let patched = try FieldPath.parse("spec.resources.limits")
            .set(.object(["cpu": .string("2")]), in: .object(["spec": .object(["resources": .null])]))
        XCTAssertEqual(patched, .object(["spec": .object(["resources": .object([
            "limits": .object(["cpu": .string("2")]),
        ])])]))
    }

    func testSetOnQuotedKey() throws {
        let patched = try FieldPath.parse("metadata.annotations[\"example.com/key\"]")
            .set(.string("new"), in: deployment)
        XCTAssertEqual(patched["metadata"]?["annotations"], .object(["example.com/key": .string("new")]))
    }

    func testSetErrorsNamePath() {
        let cases: [(path: String, message: String)] = [
            ("spec.template.spec.containers[1].image",
             "index 1 is beyond the end of the array at spec.template.spec.containers, which has 1 elements"),
            ("spec.template.spec.initContainers[0].image",
             "spec.template.spec.initContainers does not exist, and array element [0] is not created"),
            ("metadata.labels.app.name", "metadata.labels.app is a string, not an object"),
            ("metadata[0]", "metadata is an object, not an array"),
            ("[0]", "the document root is an object, not an array"),
        ]
        for (path, message) in cases {
            XCTAssertThrowsError(try FieldPath.parse(path).set(.string("x"), in: deployment), path) { error in
                let pathError = error as? FieldPathError
                XCTAssertEqual(pathError?.code, .notSettable, path)
                XCTAssertEqual(pathError?.message, message, path)
                XCTAssertEqual(pathError?.description, "cannot set field path \"\(path)\": \(message)", path)
            }
        }
    }
}
