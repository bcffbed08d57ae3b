import DRODSCore
import DRODSYAML
import Foundation

/// The `-o` option of the reading commands: a table, a wider table, or the API's objects as
/// JSON or YAML.
enum OutputFormat: String {
    case table, wide, json, yaml

    /// Reads `-o`/`--output`; a table when absent.
    init(arguments: Arguments) throws {
        guard let name = arguments.options["output"] else {
            self = .table
            return
        }
        guard let format = OutputFormat(rawValue: name), format != .table else {
            throw UsageError("unknown output format \"\(name)\"; use wide, json or yaml")
        }
        self = format
    }

    /// Maps `-o` to `--output`, so that `Arguments` can read both spellings.
    static func normalize(_ words: [String]) -> [String] {
        words.map { $0 == "-o" ? "--output" : $0 }
    }

    /// Returns `value` as pretty-printed JSON or as YAML, ending in a newline.
    func render(_ value: JSONValue) throws -> String {
        switch self {
        case .yaml:
            let text = YAMLEncoder.encode(value)
            return text.hasSuffix("\n") ? text : text + "\n"
        default:
            let encoder = WireJSON.encoder()
            encoder.outputFormatting.insert(.prettyPrinted)
            return String(decoding: try encoder.encode(value), as: UTF8.self) + "\n"
        }
    }
}
