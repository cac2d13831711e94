/// One result row whose values are read by column name, as the server's text: `try row.integer("k")`.
///
/// A name the result does not have throws (`PostgresColumns`); NULL reads as nil; text that is not
/// the number asked for throws.
public struct PostgresRow: Sendable {
    /// The result's columns.
    public let columns: PostgresColumns
    /// The values, in column order (NULL as nil).
    public let values: [String?]

    /// A row of `values` under `columns`.
    public init(columns: PostgresColumns, values: [String?]) {
        (self.columns, self.values) = (columns, values)
    }

    /// A row of `values` under the column names `names` of the statement `sql`.
    public init(columns names: [String], values: [String?], sql: String? = nil) {
        self.init(columns: PostgresColumns(names, sql: sql), values: values)
    }

    /// The text of the column called `name` (nil for NULL); throws when the result has no such column.
    public subscript(_ name: String) -> String? {
        get throws(PostgresError) { values[try columns.index(of: name)] }
    }

    /// The column called `name` as an integer (nil for NULL).
    public func integer(_ name: String) throws(PostgresError) -> Int64? {
        try decoded(name, as: "an integer", Int64.init)
    }

    /// The column called `name` as a double (nil for NULL); the server's `Infinity`, `-Infinity` and `NaN` included.
    public func double(_ name: String) throws(PostgresError) -> Double? {
        try decoded(name, as: "a number", Double.init)
    }

    /// The column called `name` as a boolean (nil for NULL), from the server's `t` and `f`.
    public func bool(_ name: String) throws(PostgresError) -> Bool? {
        try decoded(name, as: "a boolean") { $0 == "t" ? true : $0 == "f" ? false : nil }
    }

    private func decoded<T>(_ name: String, as kind: String, _ decode: (String) -> T?) throws(PostgresError) -> T? {
        guard let text = try self[name] else { return nil }
        guard let value = decode(text) else {
            throw PostgresError(sqlState: nil, message: "column \"\(name)\" holds \"\(text)\", not \(kind)", sql: columns.sql)
        }
        return value
    }
}
