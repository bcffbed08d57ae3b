/// A problem in the input files of a fleet.
public enum FleetDataError: Error, CustomStringConvertible, Equatable, Sendable {
    case fileNotFound(path: String)
    case invalidCSV(source: String, line: Int, detail: String)
    case missingColumn(source: String, column: String)
    case invalidValue(source: String, line: Int, column: String, value: String)
    case notEnoughRegions(needed: Int, available: Int)
    case notEnoughNodes(needed: Int, available: Int)

    public var description: String {
        switch self {
        case .fileNotFound(let path):
            return "file not found: \(path)"
        case .invalidCSV(let source, let line, let detail):
            return "\(source) line \(line) is invalid CSV: \(detail)"
        case .missingColumn(let source, let column):
            return "\(source) has no column \"\(column)\""
        case .invalidValue(let source, let line, let column, let value):
            return "\(source) line \(line): invalid \(column) \"\(value)\""
        case .notEnoughRegions(let needed, let available):
            return "\(needed) domains need as many regions with both a price and latencies, only \(available) have both"
        case .notEnoughNodes(let needed, let available):
            return "\(needed) domains need at least as many GPU nodes, the node list has \(available)"
        }
    }
}
