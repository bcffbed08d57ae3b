import DRODSCore
import DRODSYAML
import XCTest

final class YAMLEncoderTests: XCTestCase {
    func testBlockStyleWithSortedKeys() {
        let value: JSONValue = .object([
            "spec": .object([
                "replicas": .number(3),
                "containers": .array([
                    .object(["name": .string("web"), "ports": .array([.number(80), .number(443)])]),
                ]),
                "paused": .bool(false),
            ]),
            "kind": .string("Deployment"),
            "apiVersion": .string("apps/v1"),
            "metadata": .object(["labels": .object([:]), "annotations": .null]),
        ])
        XCTAssertEqual(YAMLEncoder.encode(value), """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              annotations: null
              labels: {}
            spec:
              containers:
                - name: web
                  ports:
                    - 80
                    - 443
              paused: false
              replicas: 3

            """)
    }

    func testStringsQuotedWhenNeeded() {
        let cases: [(string: String, encoded: String)] = [
            ("plain", "plain"), ("nvidia.com/gpu", "nvidia.com/gpu"), ("a:b", "a:b"),
            ("a#b", "a#b"), ("über", "über"),
            ("", "\"\""), ("42", "\"42\""), ("1.5", "\"1.5\""), ("0x1F", "\"0x1F\""),
            ("true", "\"true\""), ("null", "\"null\""), ("~", "\"~\""), (".inf", "\".inf\""),
            ("on", "\"on\""), ("yes", "\"yes\""),
            ("a: b", "\"a: b\""), ("a #b", "\"a #b\""), ("key:", "\"key:\""),
            ("- item", "\"- item\""), ("*ref", "\"*ref\""), ("&anchor", "\"&anchor\""),
            ("!tag", "\"!tag\""), ("{a}", "\"{a}\""), ("[a]", "\"[a]\""), ("#c", "\"#c\""),
            ("'q'", "\"'q'\""), ("%x", "\"%x\""), ("@x", "\"@x\""), ("`x", "\"`x\""),
            (" lead", "\" lead\""), ("trail ", "\"trail \""), ("...", "\"...\""),
            ("line\nbreak", "\"line\\nbreak\""), ("tab\there", "\"tab\\there\""),
            ("say \"hi\"\n", "\"say \\\"hi\\\"\\n\""), ("back\\slash\n", "\"back\\\\slash\\n\""),
            ("bell\u{7}", "\"bell\\x07\""), ("next\u{85}line", "\"next\\x85line\""),
            ("para\u{2029}", "\"para\\u2029\""),
        ]
        for (string, encoded) in cases {
            XCTAssertEqual(YAMLEncoder.encode(.string(string)), encoded + "\n", string)
        }
    }

    func testNumbersFormatting() {
        let cases: [(number: Double, encoded: String)] = [
            (0, "0"), (-0.0, "0"), (3, "3"), (-17, "-17"), (1.5, "1.5"), (0.1, "0.1"),
            (9_007_199_254_740_992, "9007199254740992"), (1e20, "1e+20"), (1.5e-7, "1.5e-07"),
            (.infinity, ".inf"), (-.infinity, "-.inf"), (.nan, ".nan"),
        ]
        for (number, encoded) in cases {
            XCTAssertEqual(YAMLEncoder.encode(.number(number)), encoded + "\n", "\(number)")
        }
    }

    func testRoundTripThroughDecoder() throws {
        let longKey = String(repeating: "k", count: 1_500)
        let values: [JSONValue] = [
            .null, .bool(true), .number(0), .number(-2.5), .number(1e300), .number(.leastNonzeroMagnitude),
            .string(""), .string("text"), .string("12"), .string("true"), .string("on"),
            .string("a: b # c"), .string("multi\nline\n"), .string(" spaced "),
            .string("\"quoted\" and \\ backslash"), .string("ctrl\u{1}\u{1F}\u{7F}"),
            .string("emoji 🚀 and \u{FEFF}bom"), .string("---"), .string("- x"),
            .array([]), .object([:]),
            .array([.null, .array([]), .array([.number(1), .array([.string("x")])]), .object([:])]),
            .object(["": .string("empty key"), "a: b": .number(1), "null": .null, "1": .bool(false),
                     "multi\nline key": .string("v"), longKey: .object(["nested": .number(1)]),
                     "list": .array([.object(["a": .number(1), "b": .array([.number(2)])])]),
                     "long list": .array([.string(longKey)])]),
            .object([longKey: .string("scalar"), "x" + longKey: .array([.number(1), .number(2)]),
                     "y" + longKey: .array([]), "z" + longKey: .object([:])]),
            .array([.array([.array([.object(["deep": .object(["er": .array([.string("x")])])])])])]),
        ]
        for value in values {
            let text = YAMLEncoder.encode(value)
            XCTAssertEqual(try YAMLDecoder.parse(text), [value], text)
        }
    }

    func testRoundTripOfPolicyDocument() throws {
        let text = """
            apiVersion: multicluster.io/v1alpha1
            kind: ClusterOverridePolicy
            spec:
              overrides:
                - clusterSelector: {names: ["gpu-cluster"]}
                  fieldPatches:
                    - path: spec.template.spec.containers[0].resources.limits
                      value: {"nvidia.com/gpu": 2}
            """
        let value = try YAMLDecoder.parseSingle(text)
        XCTAssertEqual(try YAMLDecoder.parseSingle(YAMLEncoder.encode(value)), value)
    }
}
