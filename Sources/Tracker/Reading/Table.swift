import SQLiteDB

/// Rows with named columns, as a query returned them.
public struct Table: Equatable, Sendable {
    /// The column names.
    public var columns: [String]
    /// The rows, each with one value per column.
    public var rows: [[SQLiteValue]]

    /// Creates a table.
    public init(columns: [String], rows: [[SQLiteValue]]) {
        self.columns = columns
        self.rows = rows
    }
}

extension Table {
    /// The table turned on its side: one (field, value) row per column, for reading one record.
    public func transposed() -> Table {
        let values = rows.first ?? []
        return Table(
            columns: ["field", "value"],
            rows: zip(columns, values).map { [.text($0.0), $0.1] })
    }
}
