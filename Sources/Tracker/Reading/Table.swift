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
    /// The value of column `name` in `row` (one of this table's rows), nil when there is no such column.
    public func value(_ name: String, in row: [SQLiteValue]) -> SQLiteValue? {
        Self.value(name, in: row, columns: columns)
    }

    /// The value of column `name` in `row`, whose columns are `columns`; nil when there is no such column.
    public static func value(_ name: String, in row: [SQLiteValue], columns: [String]) -> SQLiteValue? {
        guard let index = columns.firstIndex(of: name), index < row.count else { return nil }
        return row[index]
    }

    /// The `id` of each row that has one, in order.
    public var ids: [Int64] { rows.compactMap { value("id", in: $0)?.int64Value } }

    /// The table turned on its side: one (field, value) row per column, for reading one record.
    public func transposed() -> Table {
        let values = rows.first ?? []
        return Table(
            columns: ["field", "value"],
            rows: zip(columns, values).map { [.text($0.0), $0.1] })
    }
}
