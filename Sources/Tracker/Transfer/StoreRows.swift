#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import PostgresDB
import SQLiteDB

/// Rows of the team store streamed into a local gradlog database: by pull, into the file it merges,
/// and by a reading command, into its snapshot of the store (`StoreSnapshot`).
enum StoreRows {
    /// Streams the rows of `select` (a query on the store whose columns are `columns`, in order)
    /// into `table`, one prepared insert per row (or none for a row the table has, when
    /// `ignoringDuplicates`); returns how many rows.
    static func copy(_ select: String, from connection: PostgresConnection, into table: String,
                     columns: [TransferTable.Column], db: Database, ignoringDuplicates: Bool = false) throws -> Int {
        let names = columns.map(\.name).joined(separator: ", ")
        let placeholders = (1...columns.count).map { "?\($0)" }.joined(separator: ", ")
        let verb = ignoringDuplicates ? "INSERT OR IGNORE" : "INSERT"
        let insert = try db.prepare("\(verb) INTO \(table) (\(names)) VALUES (\(placeholders))")
        var count = 0
        try connection.copyOut("COPY (\(select)) TO STDOUT") { line in
            let fields = CopyRow(line).fields
            guard fields.count == columns.count else {
                throw PostgresError(sqlState: nil, message: "a row of \(table) has \(fields.count) fields, not \(columns.count)")
            }
            insert.reset()
            for (index, column) in columns.enumerated() {
                try insert.bind(try value(fields[index], as: column, table: table), at: Int32(index + 1))
            }
            try insert.run()
            count += 1
        }
        return count
    }

    /// A field of the store's text output as the value SQLite stores for the column's type.
    static func value(_ field: [UInt8]?, as column: TransferTable.Column, table: String) throws -> SQLiteValue {
        guard let field else { return .null }
        let text = String(decoding: field, as: UTF8.self)
        switch column.type {
        case "INTEGER":
            guard let value = Int64(text) else { throw unreadable(text, table, column) }
            return .integer(value)
        case "REAL":
            guard let parsed = double(text) else { throw unreadable(text, table, column) }
            return Measured.value(parsed)
        default:
            return .text(text)
        }
    }

    /// The double the store printed (its shortest exact form, or Infinity and -Infinity), or nil.
    static func double(_ text: String) -> Double? {
        var end: UnsafeMutablePointer<CChar>?
        return text.withCString { start in
            let value = strtod(start, &end)
            return end.map { $0 - UnsafeMutablePointer(mutating: start) } == text.utf8.count && !text.isEmpty ? value : nil
        }
    }

    private static func unreadable(_ text: String, _ table: String, _ column: TransferTable.Column) -> TeamStoreProblem {
        .unreadableValue(table: table, column: column.name, type: column.type, text: String(text.prefix(40)))
    }
}
