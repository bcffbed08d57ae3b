/// Column positions of a parsed table by name, with typed reads that name the file, line
/// and column of a bad value.
struct CSVColumns {
    private var indices: [String: Int] = [:]
    let source: String

    init(_ table: CSVTable, source: String, names: [String]) throws {
        self.source = source
        for name in names { indices[name] = try table.column(name, source: source) }
    }

    subscript(name: String) -> Int { indices[name]! }

    func int64(_ row: [String], _ name: String, line: Int) throws -> Int64 {
        let raw = row[self[name]]
        guard let value = Int64(raw) else {
            throw FleetDataError.invalidValue(source: source, line: line, column: name, value: raw)
        }
        return value
    }

    func double(_ row: [String], _ name: String, line: Int) throws -> Double {
        let raw = row[self[name]]
        guard let value = Double(raw), value.isFinite else {
            throw FleetDataError.invalidValue(source: source, line: line, column: name, value: raw)
        }
        return value
    }
}
