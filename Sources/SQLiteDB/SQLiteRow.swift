import CSQLite

/// One result row whose columns are read by name and decoded strictly: `let loss: Double = try row["loss"]`.
///
/// A name the query does not have throws (SQLITE_RANGE), as `Statement.column(named:)` does: one
/// policy for a missing column, so a misspelt name is a loud error, never a silent NULL.
public struct SQLiteRow: Sendable {
    /// The result's column names, in order.
    public let columns: [String]
    /// The values, in column order.
    public let values: [SQLiteValue]
    @usableFromInline let indexes: [String: Int]
    @usableFromInline let sql: String?

    init(columns: [String], indexes: [String: Int], values: [SQLiteValue], sql: String?) {
        self.columns = columns
        self.indexes = indexes
        self.values = values
        self.sql = sql
    }

    /// A row of values that came from elsewhere (another database's text, converted), decoded by
    /// the same rules; the first of several columns with one name wins, as in a query.
    public init(columns: [String], values: [SQLiteValue]) {
        var indexes: [String: Int] = [:]
        for (index, name) in columns.enumerated().reversed() { indexes[name] = index }
        self.init(columns: columns, indexes: indexes, values: values, sql: nil)
    }

    /// The column called `name`, decoded into `T`; throws when the query has no such column or its
    /// value does not fit `T` (NULL fits only an Optional).
    @inlinable
    public subscript<T: SQLiteDecodable>(_ name: String) -> T {
        get throws {
            guard let index = indexes[name] else { throw SQLiteError.missingColumn(name, sql: sql) }
            let value = values[index]
            guard let decoded = T.decode(value) else {
                throw SQLiteError.mismatch(column: name, value: value, expected: T.expected, sql: sql)
            }
            return decoded
        }
    }

    /// Whether the query has a column called `name`, for tables whose columns grew with migrations.
    public func has(_ name: String) -> Bool { indexes[name] != nil }
}

extension Database {
    /// Runs a query and returns its rows, each read by column name.
    public func namedRows(_ sql: String, _ parameters: [SQLiteValue] = []) throws -> [SQLiteRow] {
        let statement = try prepare(sql)
        try statement.bind(parameters)
        var rows: [SQLiteRow] = []
        while try statement.step() { rows.append(statement.namedRow()) }
        return rows
    }

    /// Runs a one-column query and decodes every row's value into `T`: `try db.column(Int64.self, "SELECT id FROM runs")`.
    public func column<T: SQLiteDecodable>(_ type: T.Type, _ sql: String, _ parameters: [SQLiteValue] = []) throws -> [T] {
        let statement = try prepare(sql)
        try statement.bind(parameters)
        guard statement.columnCount == 1 else {
            throw SQLiteError(code: SQLITE_RANGE, message: "a one-column read of \(statement.columnCount) columns", sql: sql)
        }
        var values: [T] = []
        while try statement.step() { values.append(try statement.decode(T.self, at: 0)) }
        return values
    }
}
