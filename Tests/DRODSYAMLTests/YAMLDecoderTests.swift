import DRODSCore
import DRODSYAML
import XCTest

final class YAMLDecoderTests: XCTestCase {
    // MARK: - Kubernetes-style documents

    func testPlacementPolicyParses() throws {
        let text = """
            apiVersion: multicluster.io/v1alpha1
            kind: ResourcePlacementPolicy
            metadata:
              name: webapp-placement
            spec:
              resourceSelector:
                apiVersion: apps/v1
                kind: Deployment
                name: webapp
                namespace: production
              targetClusters:
                - selectorType: name  # Supports "name" or "label"
                  values: ["cluster-east", "cluster-west"]
            """
        let expected: JSONValue = .object([
            "apiVersion": .string("multicluster.io/v1alpha1"),
            "kind": .string("ResourcePlacementPolicy"),
            "metadata": .object(["name": .string("webapp-placement")]),
            "spec": .object([
                "resourceSelector": .object([
                    "apiVersion": .string("apps/v1"),
                    "kind": .string("Deployment"),
                    "name": .string("webapp"),
                    "namespace": .string("production"),
                ]),
                "targetClusters": .array([
                    .object([
                        "selectorType": .string("name"),
                        "values": .array([.string("cluster-east"), .string("cluster-west")]),
                    ]),
                ]),
            ]),
        ])

        XCTAssertEqual(try YAMLDecoder.parse(text), [expected])
    }

    func testOverridePolicyWithFlowMappingParses() throws {
        let text = """
            apiVersion: multicluster.io/v1alpha1
            kind: ClusterOverridePolicy
            metadata:
              name: gpu-override
            spec:
              resourceSelector:
                apiVersion: apps/v1
                kind: Deployment
                name: ai-model
                namespace: default
              overrides:
                - clusterSelector:
                    names: ["gpu-cluster"]
                  fieldPatches:
                    - path: spec.template.spec.containers[0].resources.limits
                      value: {"nvidia.com/gpu": 2}
            """
        let expected: JSONValue = .object([
            "apiVersion": .string("multicluster.io/v1alpha1"),
            "kind": .string("ClusterOverridePolicy"),
            "metadata": .object(["name": .string("gpu-override")]),
            "spec": .object([
                "resourceSelector": .object([
                    "apiVersion": .string("apps/v1"),
                    "kind": .string("Deployment"),
                    "name": .string("ai-model"),
                    "namespace": .string("default"),
                ]),
                "overrides": .array([
                    .object([
                        "clusterSelector": .object(["names": .array([.string("gpu-cluster")])]),
                        "fieldPatches": .array([
                            .object([
                                "path": .string("spec.template.spec.containers[0].resources.limits"),
                                "value": .object(["nvidia.com/gpu": .number(2)]),
                            ]),
                        ]),
                    ]),
                ]),
            ]),
        ])

        XCTAssertEqual(try YAMLDecoder.parseSingle(text), expected)
    }

    // MARK: - Streams

    func testMultiDocumentStreamKeepsOrder() throws {
        let text = """
            kind: A
            ---
            kind: B
            ---
            - 1
            - 2
            """
        XCTAssertEqual(try YAMLDecoder.parse(text), [
            .object(["kind": .string("A")]),
            .object(["kind": .string("B")]),
            .array([.number(1), .number(2)]),
        ])
    }

    func testEmptyDocumentsAreSkipped() throws {
        let text = """
            # only a comment
            ---
            ---
            a: 1
            ---
            # trailing comment
            ...
            """
        XCTAssertEqual(try YAMLDecoder.parse(text), [.object(["a": .number(1)])])
        XCTAssertEqual(try YAMLDecoder.parse(""), [])
        XCTAssertEqual(try YAMLDecoder.parse("# nothing\n"), [])
    }

    func testExplicitNullDocumentIsKept() throws {
        XCTAssertEqual(try YAMLDecoder.parse("--- null\n--- ~\n"), [.null, .null])
    }

    func testParseSingleRejectsZeroOrManyDocuments() {
        for text in ["", "a: 1\n---\nb: 2\n"] {
            XCTAssertThrowsError(try YAMLDecoder.parseSingle(text), text) { error in
                XCTAssertEqual((error as? YAMLError)?.code, .documentCount, text)
            }
        }
    }

    // MARK: - Scalars

    func testScalarsResolveByCoreSchema() throws {
        let cases: [(yaml: String, expected: JSONValue)] = [
            ("null", .null), ("Null", .null), ("NULL", .null), ("~", .null), ("", .null),
            ("true", .bool(true)), ("True", .bool(true)), ("TRUE", .bool(true)),
            ("false", .bool(false)), ("False", .bool(false)), ("FALSE", .bool(false)),
            ("0", .number(0)), ("42", .number(42)), ("-17", .number(-17)), ("+5", .number(5)),
            ("007", .number(7)),
            ("0x1F", .number(31)), ("0xff", .number(255)), ("0o17", .number(15)),
            ("1.5", .number(1.5)), ("-0.25", .number(-0.25)), (".5", .number(0.5)),
            ("1.", .number(1)), ("6.02e23", .number(6.02e23)), ("1E-3", .number(0.001)),
            ("\"42\"", .string("42")), ("'true'", .string("true")), ("\"null\"", .string("null")),
            ("\"on\"", .string("on")), ("on", .string("on")), ("yes", .string("yes")),
            ("off", .string("off")), ("nil", .string("nil")), ("0b101", .string("0b101")),
            ("0o8", .string("0o8")), ("0x", .string("0x")), ("1_000", .string("1_000")),
            ("1.2.3", .string("1.2.3")), ("e5", .string("e5")), ("12:30", .string("12:30")),
            ("nvidia.com/gpu", .string("nvidia.com/gpu")), ("hello world", .string("hello world")),
            ("|\n  line one\n  line two\n", .string("line one\nline two\n")),
            ("\"tab\\there\"", .string("tab\there")),
        ]
        for (yaml, expected) in cases {
            XCTAssertEqual(try YAMLDecoder.parse("value: \(yaml)"), [.object(["value": expected])],
                           "value: \(yaml)")
        }
    }

    func testNonFiniteNumbersAreRejected() {
        for yaml in [".inf", "-.inf", "+.INF", ".nan", ".NaN", "1e400", "!!float .inf"] {
            XCTAssertThrowsError(try YAMLDecoder.parse("value: \(yaml)"), yaml) { error in
                let yamlError = error as? YAMLError
                XCTAssertEqual(yamlError?.code, .invalidScalar, yaml)
                XCTAssertEqual(yamlError?.line, 1, yaml)
                XCTAssertEqual(yamlError?.column, 8, yaml)
                XCTAssertTrue(yamlError?.message.contains("cannot be represented in JSON") ?? false,
                              "\(yaml): \(String(describing: yamlError))")
            }
        }
    }

    func testCoreTagsAreHonoured() throws {
        let cases: [(yaml: String, expected: JSONValue)] = [
            ("!!str 42", .string("42")), ("!!str true", .string("true")), ("!!str", .string("")),
            ("! 12", .string("12")),
            ("!!int \"12\"", .number(12)), ("!!int 0x10", .number(16)),
            ("!!float 1", .number(1)), ("!!float '2.5'", .number(2.5)),
            ("!!bool 'true'", .bool(true)), ("!!null ''", .null),
            ("!!seq [1]", .array([.number(1)])), ("!!map {a: 1}", .object(["a": .number(1)])),
        ]
        for (yaml, expected) in cases {
            XCTAssertEqual(try YAMLDecoder.parse("value: \(yaml)"), [.object(["value": expected])],
                           "value: \(yaml)")
        }
    }

    func testTagMismatchOrUnknownTagIsRejected() {
        let cases: [(yaml: String, code: YAMLError.Code)] = [
            ("!!int 1.5", .invalidScalar), ("!!bool yes", .invalidScalar),
            ("!!null 0", .invalidScalar), ("!!float abc", .invalidScalar),
            ("!!binary aGVsbG8=", .unsupportedTag), ("!!timestamp 2024-01-01", .unsupportedTag),
            ("!custom x", .unsupportedTag), ("!!set {a: null}", .unsupportedTag),
            ("!!map [1]", .unsupportedTag), ("!!seq {a: 1}", .unsupportedTag),
        ]
        for (yaml, code) in cases {
            XCTAssertThrowsError(try YAMLDecoder.parse("value: \(yaml)"), yaml) { error in
                XCTAssertEqual((error as? YAMLError)?.code, code, "\(yaml): \(error)")
            }
        }
    }

    // MARK: - Anchors and aliases

    func testAliasesCopyAnchoredNodes() throws {
        let text = """
            defaults: &defaults
              cpu: 500m
              memory: 1Gi
            name: &name webapp
            east:
              limits: *defaults
              owner: *name
            west: [*name, *defaults]
            """
        let defaults: JSONValue = .object(["cpu": .string("500m"), "memory": .string("1Gi")])
        XCTAssertEqual(try YAMLDecoder.parseSingle(text), .object([
            "defaults": defaults,
            "name": .string("webapp"),
            "east": .object(["limits": defaults, "owner": .string("webapp")]),
            "west": .array([.string("webapp"), defaults]),
        ]))
    }

    func testAnchorsDoNotCrossDocuments() {
        XCTAssertThrowsError(try YAMLDecoder.parse("a: &x 1\n---\nb: *x\n")) { error in
            let yamlError = error as? YAMLError
            XCTAssertEqual(yamlError?.code, .undefinedAlias)
            XCTAssertEqual(yamlError?.line, 3)
            XCTAssertEqual(yamlError?.column, 4)
        }
    }

    func testRecursiveAliasIsRejected() {
        XCTAssertThrowsError(try YAMLDecoder.parse("a: &x [1, *x]\n")) { error in
            XCTAssertEqual((error as? YAMLError)?.code, .undefinedAlias)
        }
    }

    func testBillionLaughsIsRejected() {
        let text = """
            a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
            b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
            c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
            d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
            e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
            f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
            g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
            h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]
            i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]
            """
        XCTAssertThrowsError(try YAMLDecoder.parse(text)) { error in
            let yamlError = error as? YAMLError
            XCTAssertEqual(yamlError?.code, .aliasExpansionLimit)
            XCTAssertEqual(yamlError?.line, 5)
            XCTAssertTrue(yamlError?.message.contains("10000 nodes") ?? false, "\(error)")
        }
    }

    func testAliasExpansionBelowLimitIsAccepted() throws {
        // 9 + 81 + 729 strings and their arrays: well below 10,000 nodes.
        let text = """
            a: &a [x, x, x, x, x, x, x, x, x]
            b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
            c: [*b, *b, *b, *b, *b, *b, *b, *b, *b]
            """
        let document = try YAMLDecoder.parseSingle(text)
        guard case .array(let outer)? = document["c"] else {
            return XCTFail("c is not an array: \(document)")
        }
        XCTAssertEqual(outer.count, 9)
    }

    func testLargeDocumentWithoutAliasesIsAccepted() throws {
        let text = (0..<12_000).map { "- \($0)" }.joined(separator: "\n")
        let document = try YAMLDecoder.parseSingle(text)
        guard case .array(let items) = document else {
            return XCTFail("not an array: \(document)")
        }
        XCTAssertEqual(items.count, 12_000)
    }

    // MARK: - Errors

    func testDuplicateKeyIsRejected() {
        let text = """
            metadata:
              name: a
              labels: {}
              name: b
            """
        XCTAssertThrowsError(try YAMLDecoder.parse(text)) { error in
            let yamlError = error as? YAMLError
            XCTAssertEqual(yamlError?.code, .duplicateKey)
            XCTAssertEqual(yamlError?.line, 4)
            XCTAssertEqual(yamlError?.column, 3)
            XCTAssertEqual(yamlError?.description,
                           "invalid YAML at line 4, column 3: duplicate mapping key \"name\"")
        }
    }

    func testDuplicateQuotedKeyIsRejected() {
        XCTAssertThrowsError(try YAMLDecoder.parse("{a: 1, \"a\": 2}")) { error in
            XCTAssertEqual((error as? YAMLError)?.code, .duplicateKey)
        }
    }

    func testCollectionKeyIsRejected() {
        XCTAssertThrowsError(try YAMLDecoder.parse("? [a, b]\n: 1\n")) { error in
            XCTAssertEqual((error as? YAMLError)?.code, .invalidKey)
        }
    }

    func testScalarKeysKeepTheirText() throws {
        XCTAssertEqual(try YAMLDecoder.parseSingle("1: a\ntrue: b\n0x10: c\n~: d\n"), .object([
            "1": .string("a"), "true": .string("b"), "0x10": .string("c"), "~": .string("d"),
        ]))
    }

    func testBadIndentationReportsLineAndColumn() {
        let text = """
            metadata:
              name: webapp
               labels: x
            """
        XCTAssertThrowsError(try YAMLDecoder.parse(text)) { error in
            let yamlError = error as? YAMLError
            XCTAssertEqual(yamlError?.code, .syntax)
            XCTAssertEqual(yamlError?.line, 3)
            XCTAssertEqual(yamlError?.column, 10)
            XCTAssertEqual(yamlError?.message, "mapping values are not allowed in this context")
            XCTAssertEqual(yamlError?.description,
                           "invalid YAML at line 3, column 10: mapping values are not allowed in this context")
        }
    }

    func testUnclosedFlowSequenceReportsContext() {
        XCTAssertThrowsError(try YAMLDecoder.parse("values: [a, b\nnext: 1\n")) { error in
            let yamlError = error as? YAMLError
            XCTAssertEqual(yamlError?.code, .syntax)
            XCTAssertTrue(yamlError?.message.contains("while parsing a flow sequence at line 1, column 9")
                              ?? false, "\(error)")
        }
    }

    func testReaderErrorReportsPosition() {
        // Swift strings are always valid UTF-8, so the input uses a control character, which
        // libyaml's reader rejects as it rejects invalid UTF-8.
        XCTAssertThrowsError(try YAMLDecoder.parse("a: 1\nb: \u{7}\n")) { error in
            let yamlError = error as? YAMLError
            XCTAssertEqual(yamlError?.code, .syntax)
            XCTAssertEqual(yamlError?.line, 2)
            XCTAssertEqual(yamlError?.column, 4)
        }
    }

    func testNestingBeyondDepthLimitIsRejected() {
        let tooDeep = String(repeating: "[", count: YAMLDecoder.maxDepth + 1)
            + String(repeating: "]", count: YAMLDecoder.maxDepth + 1)
        XCTAssertThrowsError(try YAMLDecoder.parse(tooDeep)) { error in
            let yamlError = error as? YAMLError
            XCTAssertEqual(yamlError?.code, .depthLimit)
            XCTAssertEqual(yamlError?.column, YAMLDecoder.maxDepth + 1)
        }
    }

    func testNestingAtDepthLimitIsAccepted() throws {
        let deepest = String(repeating: "[", count: YAMLDecoder.maxDepth)
            + String(repeating: "]", count: YAMLDecoder.maxDepth)
        var expected: JSONValue = .array([])
        for _ in 1..<YAMLDecoder.maxDepth {
            expected = .array([expected])
        }
        XCTAssertEqual(try YAMLDecoder.parseSingle(deepest), expected)
    }

    func testErrorAfterValidDocumentStillThrows() {
        XCTAssertThrowsError(try YAMLDecoder.parse("a: 1\n---\nb: [\n")) { error in
            XCTAssertEqual((error as? YAMLError)?.code, .syntax)
        }
    }
}
