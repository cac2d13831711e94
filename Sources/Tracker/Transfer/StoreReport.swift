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
        let kinds = shape.columnTypes.map(ValueKind.init(oid:))
        try columns(shape.columns)
        var failure: (any Error)?
        do {
            try team.attempt {
                try connection.copyOut("COPY (\(sql)) TO STDOUT") { line in
                    let fields = CopyRow(line).fields
                    guard fields.count == kinds.count else {
                        throw PostgresError(sqlState: nil, message: "a report row has \(fields.count) fields, not \(kinds.count)")
                    }
                    let values = try team.attempt { try zip(fields, kinds).map { field, kind in try kind.value(field) } }
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

    /// How a column's text becomes the value SQLite would have given.
    enum ValueKind {
        case integer, real, number, text

        /// The kind of a PostgreSQL type: integers and booleans as SQLite's INTEGER, floating point
        /// as REAL, `numeric` (a sum of integers) as whichever its text is, anything else as text.
        init(oid: UInt32) {
            switch oid {
            case 16, 20, 21, 23: self = .integer
            case 700, 701: self = .real
            case 1700: self = .number
            default: self = .text
            }
        }

        /// The value of one field; nil is NULL.
        func value(_ field: [UInt8]?) throws -> SQLiteValue {
            guard let field else { return .null }
            let text = String(decoding: field, as: UTF8.self)
            switch self {
            case .integer:
                if text == "t" || text == "f" { return .integer(text == "t" ? 1 : 0) }
                guard let value = Int64(text) else { throw unreadable(text) }
                return .integer(value)
            case .real:
                guard let value = StoreRows.double(text) else { throw unreadable(text) }
                return Measured.value(value)
            case .number:
                if let value = Int64(text) { return .integer(value) }
                guard let value = StoreRows.double(text) else { throw unreadable(text) }
                return Measured.value(value)
            case .text:
                return .text(text)
            }
        }

        private func unreadable(_ text: String) -> TeamStoreProblem {
            .unreadableValue(table: "report", column: "\(self)", type: "\(self)", text: String(text.prefix(40)))
        }
    }
}
