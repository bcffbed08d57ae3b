import DRODSCore
import DRODSYAML
import Foundation

/// `drods apply -f FILE`: creates or updates every resource of a YAML or JSON file, one
/// document at a time, and prints one line per document such as `cluster/aws-east created`.
enum ApplyCommand {
    /// The result of applying one document, printed after its name.
    enum Outcome: String {
        case created, configured, unchanged
    }

    /// Fields the server sets. A document read back with `drods get -o yaml` contains them and
    /// the API rejects them on input, so they are left out of patches and comparisons.
    static let serverSetFields: Set<String> = ["status", "hasCredentials", "createdAt"]

    static func run(_ words: [String]) throws -> Int32 {
        let arguments = try Arguments(words.map { $0 == "-f" ? "--filename" : $0 },
                                      valueOptions: GatewayConnection.valueOptions.union(["filename"]))
        guard arguments.positional.isEmpty else { throw UsageError("unexpected argument \(arguments.positional[0])") }
        guard let file = arguments.options["filename"] else {
            throw UsageError("apply needs -f FILE, or -f - to read standard input")
        }
        let documents = try readDocuments(file)
        let connection = try GatewayConnection(arguments: arguments)

        var failures = 0
        for (index, document) in documents.enumerated() {
            do {
                let (label, outcome) = try apply(document, connection: connection)
                print("\(label) \(outcome.rawValue)")
            } catch let error as GatewayError where error.status == nil {
                // Without a gateway every later document fails the same way.
                throw error
            } catch {
                failures += 1
                let label = (try? label(of: document)) ?? "document \(index + 1)"
                FileHandle.standardError.write(Data("drods: \(label): \(error)\n".utf8))
            }
        }
        return failures == 0 ? 0 : 1
    }

    /// Returns the documents of `file` (`-` for standard input) without empty ones. A
    /// top-level sequence counts as a list of documents.
    static func readDocuments(_ file: String) throws -> [JSONValue] {
        let data: Data
        if file == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            guard let contents = FileManager.default.contents(atPath: file) else {
                throw GatewayError(description: "cannot read \(file): no such file or not readable")
            }
            data = contents
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw GatewayError(description: "\(file) is not UTF-8 text")
        }
        let parsed: [JSONValue]
        do {
            parsed = try YAMLDecoder.parse(text)
        } catch {
            throw GatewayError(description: "\(file) is neither valid YAML nor JSON: \(error)")
        }
        return parsed.flatMap { document -> [JSONValue] in
            if case .array(let items) = document { return items }
            return document == .null ? [] : [document]
        }
    }

    static func label(of document: JSONValue) throws -> String {
        let kind = try ManifestKind.detect(document)
        return "\(kind.displayName)/\(kind.displayKey(of: document) ?? "(unnamed)")"
    }

    /// Creates the resource, or updates it when it exists and the API allows.
    static func apply(_ document: JSONValue, connection: GatewayConnection) throws -> (String, Outcome) {
        let kind = try ManifestKind.detect(document)
        guard let key = kind.displayKey(of: document), let path = kind.itemPath(of: document) else {
            throw ManifestError("the document has no name")
        }
        let label = "\(kind.displayName)/\(key)"
        let input = withoutServerSetFields(document)
        let body = try WireJSON.encode(input)

        let existing = try connection.send("GET", path)
        if existing.status == 404 {
            let created = try connection.send("POST", kind.collectionPath, body: body)
            // Another client may have created it between the read and the write.
            guard created.status != 409 else {
                throw GatewayError(description: "was created by someone else meanwhile; apply again", status: 409)
            }
            guard (200..<300).contains(created.status) else {
                throw GatewayError.response(status: created.status, body: created.json,
                                            request: "POST \(kind.collectionPath)")
            }
            return (label, .created)
        }
        guard existing.status == 200 else {
            throw GatewayError.response(status: existing.status, body: existing.json, request: "GET \(path)")
        }

        if !differs(input, from: existing.json) && input["credentials"] == nil {
            return (label, .unchanged)
        }
        guard kind.isPatchable else {
            throw ManifestError("exists with different content, and the API cannot update a "
                                + "\(kind.displayName); delete it first (DELETE \(path)), then apply again")
        }
        // The name identifies the resource and the API rejects patching it.
        guard case .object(var patch) = input else { throw ManifestError("expected a mapping") }
        patch["name"] = nil
        _ = try connection.expectSuccess("PATCH", path, body: try WireJSON.encode(JSONValue.object(patch)),
                                         contentType: "application/merge-patch+json")
        return (label, .configured)
    }

    /// Checks whether applying `document` as a merge patch would change `existing`, that is
    /// whether some field of the document has another value on the server. Credentials are
    /// left out of the comparison because the API never returns them, and `apply` sends a
    /// document with credentials in every case.
    public static func differs(_ document: JSONValue, from existing: JSONValue) -> Bool {
        var comparable = withoutServerSetFields(document)
        if case .object(var members) = comparable {
            members["credentials"] = nil
            comparable = .object(members)
        }
        let current = withoutServerSetFields(existing)
        return JSONMergePatch.apply(comparable, to: current) != current
    }

    static func withoutServerSetFields(_ document: JSONValue) -> JSONValue {
        guard case .object(var members) = document else { return document }
        for field in serverSetFields { members[field] = nil }
        if case .object(var metadata) = members["metadata"] ?? .null {
            metadata["creationTimestamp"] = nil
            members["metadata"] = .object(metadata)
        }
        return .object(members)
    }
}
