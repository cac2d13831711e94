import PostgresDB
import SQLiteDB

/// A report's table read from the team store itself: the same query as on a file, run by the
/// server and streamed by COPY row by row, each value typed as SQLite would give it, so the output
/// library writes the same bytes and memory stays flat however long the run.
enum StoreReport {
    /// Streams the rows of `sql` (a report with its run id filled in) from the store.
    static func stream(_ sql: String, from team: TeamStore,
                       columns: ([String]) throws -> Void, row: ([SQLiteValue]) throws -> Void) throws {
        let connection = team.connection
        // A subquery and COPY take the statement without its closing semicolon.
        var sql = Substring(sql)
        while let last = sql.last, last == ";" || last.isWhitespace { sql = sql.dropLast() }
        // The columns' names and types, from the plan of the query (no row is computed).
        let shape = try team.attempt { try connection.query("SELECT * FROM (\(sql)) AS report LIMIT 0") }
        let typed = zip(shape.columns, shape.columnTypes).map { name, oid in
            TransferTable.Column(name: name, type: StoreRows.type(ofOID: oid))
        }
        try columns(shape.columns)
        var failure: (any Error)?
        do {
            try team.attempt {
                try StoreRows.stream(String(sql), from: connection, columns: typed, table: "report") { values in
                    do {
                        try row(values)
                    } catch {
                        failure = error
                        throw error
                    }
                }
            }
        } catch {
            // The caller's own error (a closed pipe, say) passes through as it was thrown.
            throw failure ?? error
        }
    }
}
