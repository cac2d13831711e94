/// One result row whose columns are read by name: `row["loss"]`.
public struct SQLiteRow: Sendable {
    /// The result's column names, in order.
    public let columns: [String]
    /// The values, in column order.
    public let values: [SQLiteValue]
    private let indexes: [String: Int]

    init(columns: [String], indexes: [String: Int], values: [SQLiteValue]) {
        self.columns = columns
        self.indexes = indexes
        self.values = values
    }

    /// The value of the column called `name`; NULL when the query has no such column.
    public subscript(_ name: String) -> SQLiteValue {
        indexes[name].map { values[$0] } ?? .null
    }
}

extension Database {
    /// Runs a query and returns its rows, each read by column name.
    public func namedRows(_ sql: String, _ parameters: [SQLiteValue] = []) throws -> [SQLiteRow] {
        let statement = try prepare(sql)
        try statement.bind(parameters)
        let columns = statement.columnNames
        var indexes: [String: Int] = [:]
        for (index, name) in columns.enumerated().reversed() { indexes[name] = index }
        var rows: [SQLiteRow] = []
        while try statement.step() { rows.append(SQLiteRow(columns: columns, indexes: indexes, values: statement.row())) }
        return rows
    }
}
