import DRODSCore
import DRODSHTTP
import DRODSYAML
import Foundation

/// Decodes a request body into a JSON document by its Content-Type: JSON, merge patch JSON
/// or YAML. Throws `APIRejection` for a missing, unknown or malformed body.
enum RequestDocument {
    enum Format {
        case json, mergePatch, yaml
    }

    static func decode(_ request: HTTPRequest, accepting formats: Set<Format>) throws -> JSONValue {
        let contentType = (request.headers["Content-Type"] ?? "")
            .split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        let format: Format?
        switch contentType {
        case "application/json": format = .json
        case "application/merge-patch+json": format = .mergePatch
        case "application/yaml", "application/x-yaml", "text/yaml": format = .yaml
        default: format = nil
        }
        guard let format, formats.contains(format) else {
            let accepted = formats.map(name).sorted().joined(separator: ", ")
            throw APIRejection(code: "UNSUPPORTED_MEDIA_TYPE",
                               message: "Content-Type must be one of: \(accepted)",
                               details: ["contentType": .string(contentType)])
        }
        guard !request.body.isEmpty else {
            throw APIRejection(code: "VALIDATION_FAILED", message: "the request body is empty")
        }
        switch format {
        case .json, .mergePatch:
            do {
                return try WireJSON.decode(JSONValue.self, from: request.body)
            } catch {
                throw APIRejection(code: "INVALID_JSON", message: "the request body is not valid JSON")
            }
        case .yaml:
            guard let text = String(data: request.body, encoding: .utf8) else {
                throw APIRejection(code: "INVALID_YAML", message: "the request body is not UTF-8 text")
            }
            do {
                return try YAMLDecoder.parseSingle(text)
            } catch {
                throw APIRejection(code: "INVALID_YAML", message: String(describing: error))
            }
        }
    }

    private static func name(_ format: Format) -> String {
        switch format {
        case .json: "application/json"
        case .mergePatch: "application/merge-patch+json"
        case .yaml: "application/yaml"
        }
    }
}
