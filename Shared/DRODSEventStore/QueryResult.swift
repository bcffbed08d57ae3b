/// Rows returned by a statement, in libpq's text format: one optional string per column, `nil`
/// for SQL NULL.
public struct QueryResult: Sendable {
    public let columns: [String]
    public let rows: [[String?]]
    /// Rows affected, from the command tag (INSERT, UPDATE, DELETE), or 0.
    public let affectedRows: Int

    public init(columns: [String], rows: [[String?]], affectedRows: Int) {
        self.columns = columns
        self.rows = rows
        self.affectedRows = affectedRows
    }

    public var isEmpty: Bool { rows.isEmpty }

    /// The first column of the first row, the shape of `SELECT count(*)` and similar.
    public var scalar: String? { rows.first?.first ?? nil }
}
