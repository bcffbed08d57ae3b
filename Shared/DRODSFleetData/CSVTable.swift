/// A comma-separated table with a header row, as RFC 4180 describes it: fields may be quoted
/// with `"`, a quote inside a quoted field is doubled, and lines end in LF or CRLF.
public struct CSVTable: Sendable {
    public var header: [String]
    public var rows: [[String]]

    /// Parses `text`; empty lines are skipped. Throws when a row has a different number of
    /// fields from the header or a quote is not closed.
    public init(parsing text: String, source: String) throws {
        var records: [[String]] = []
        var record: [String] = []
        var field = ""
        var quoted = false
        var iterator = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = nil

        func endRecord() {
            record.append(field)
            field = ""
            if !(record.count == 1 && record[0].isEmpty) { records.append(record) }
            record = []
        }

        while let scalar = pending ?? iterator.next() {
            pending = nil
            if quoted {
                if scalar == "\"" {
                    let following = iterator.next()
                    if following == "\"" {
                        field.unicodeScalars.append("\"")
                    } else {
                        quoted = false
                        pending = following
                    }
                } else {
                    field.unicodeScalars.append(scalar)
                }
                continue
            }
            switch scalar {
            case "\"" where field.isEmpty: quoted = true
            case ",":
                record.append(field)
                field = ""
            case "\n": endRecord()
            case "\r": continue
            default: field.unicodeScalars.append(scalar)
            }
        }
        guard !quoted else { throw FleetDataError.invalidCSV(source: source, line: records.count + 1, detail: "unclosed quote") }
        if !field.isEmpty || !record.isEmpty { endRecord() }

        guard let header = records.first else {
            throw FleetDataError.invalidCSV(source: source, line: 1, detail: "missing header row")
        }
        self.header = header
        self.rows = Array(records.dropFirst())
        for (index, row) in rows.enumerated() where row.count != header.count {
            throw FleetDataError.invalidCSV(source: source, line: index + 2,
                                            detail: "\(row.count) fields, the header has \(header.count)")
        }
    }

    /// Returns the index of column `name`, or throws when the header lacks it.
    public func column(_ name: String, source: String) throws -> Int {
        guard let index = header.firstIndex(of: name) else {
            throw FleetDataError.missingColumn(source: source, column: name)
        }
        return index
    }
}
