/// Median round-trip latency in milliseconds between AWS regions, `milliseconds[from][to]`
/// (`aws-inter-region-latency-p50-ms.csv`: one row per source region, one column per target).
public struct LatencyMatrix: Equatable, Sendable {
    public var milliseconds: [String: [String: Double]]

    public init(milliseconds: [String: [String: Double]]) {
        self.milliseconds = milliseconds
    }

    /// Regions that have a row.
    public var regions: Set<String> { Set(milliseconds.keys) }

    /// Parses the matrix; the first column, `from`, names the source region, and an empty
    /// cell is an unknown latency.
    public static func parse(_ table: CSVTable, source: String) throws -> LatencyMatrix {
        let fromColumn = try table.column("from", source: source)
        var matrix: [String: [String: Double]] = [:]
        for (index, row) in table.rows.enumerated() {
            var targets: [String: Double] = [:]
            for (column, name) in table.header.enumerated() where column != fromColumn && !row[column].isEmpty {
                guard let value = Double(row[column]), value.isFinite, value >= 0 else {
                    throw FleetDataError.invalidValue(source: source, line: index + 2, column: name, value: row[column])
                }
                targets[name] = value
            }
            matrix[row[fromColumn]] = targets
        }
        return LatencyMatrix(milliseconds: matrix)
    }
}
