/// A result's column names, each found by name once for all of its rows: `try columns.index(of: "step")`.
///
/// A name the result does not have throws, as `SQLiteRow` does: one policy for a missing column,
/// so a misspelt name is a loud error, never a silent NULL.
public struct PostgresColumns: Sendable {
    /// The names, in order.
    public let names: [String]
    private let indexes: [String: Int]
    /// The statement, for the errors of reading its columns by name.
    let sql: String?

    /// The columns `names` of the statement `sql`; the first of several with one name wins, as in a query.
    public init(_ names: [String], sql: String? = nil) {
        var indexes: [String: Int] = [:]
        for (index, name) in names.enumerated().reversed() { indexes[name] = index }
        (self.names, self.indexes, self.sql) = (names, indexes, sql)
    }

    /// The position of the column called `name`; throws when the result has no such column.
    public func index(of name: String) throws(PostgresError) -> Int {
        guard let index = indexes[name] else {
            throw PostgresError(sqlState: nil, message: "the query has no column named \(name)", sql: sql)
        }
        return index
    }

    /// The positions of the columns called `names`, in that order; throws at the first missing one.
    public func indexes(of names: [String]) throws(PostgresError) -> [Int] {
        try names.map { name throws(PostgresError) in try index(of: name) }
    }
}
