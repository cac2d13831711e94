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
        func add(_ values: [SQLiteValue]) throws {
            insert.reset()
            for (index, value) in values.enumerated() { try insert.bind(value, at: Int32(index + 1)) }
            try insert.run()
            count += 1
        }
        // Binary when the store's types are the table's own, so that a value of another type is
        // refused in the same words either way; text (which parses each value) otherwise.
        let types = try connection.query("SELECT * FROM (\(select)) AS rows LIMIT 0").columnTypes
        if types.count == columns.count, zip(types, columns).allSatisfy({ BinaryKind(oid: $0)?.rawValue == $1.type }) {
            try streamBinary(select, from: connection, columns: columns.map(\.name), types: types, table: table, row: add)
        } else {
            try stream(select, from: connection, columns: columns, table: table, row: add)
        }
        return count
    }

    /// Streams the rows of `select` by COPY, each as the values SQLite stores for `columns`' types
    /// (`table` names them in errors); an error `row` throws ends the stream and passes through.
    static func stream(_ select: String, from connection: PostgresConnection, columns: [TransferTable.Column], table: String,
                       row: ([SQLiteValue]) throws -> Void) throws {
        try connection.copyOut("COPY (\(select)) TO STDOUT") { line in
            let fields = CopyRow(line).fields
            guard fields.count == columns.count else {
                throw PostgresError(sqlState: nil, message: "a row of \(table) has \(fields.count) fields, not \(columns.count)")
            }
            try row(try zip(fields, columns).map { field, column in try value(field, as: column, table: table) })
        }
    }

    /// Streams the rows of `select` by binary COPY, whose columns have these names and types
    /// (`pg_type.oid`, each one `readsBinary` accepts), each as the value SQLite stores: no number
    /// goes through text, which costs the server and this side more than the rows' transfer. `row`
    /// gets the values of one row at a time (the array is reused); `table` names the rows in errors.
    static func streamBinary(_ select: String, from connection: PostgresConnection, columns: [String], types: [UInt32],
                             table: String, row: ([SQLiteValue]) throws -> Void) throws {
        // Each column's type decided once, not for each of its values.
        let kinds = types.map { BinaryKind(oid: $0) }
        var reader = BinaryCopyReader()
        var values: [SQLiteValue] = []
        values.reserveCapacity(types.count)
        try connection.copyOut("COPY (\(select)) TO STDOUT (FORMAT binary)") { message in
            guard try reader.read(message) else { return }
            guard reader.fields.count == types.count else {
                throw PostgresError(sqlState: nil, message: "a row of \(table) has \(reader.fields.count) fields, not \(types.count)")
            }
            values.removeAll(keepingCapacity: true)
            for index in types.indices {
                let field = reader.fields[index].map { message[$0] }
                values.append(try value(field, kind: kinds[index], oid: types[index], column: columns[index], table: table))
            }
            try row(values)
        }
    }

    /// Whether `streamBinary` reads a column of this type: booleans, integers, floating-point
    /// numbers and text (`numeric`'s binary form is not read; such a query goes as text).
    static func readsBinary(oid: UInt32) -> Bool {
        BinaryKind(oid: oid) != nil
    }

    /// How a column's binary values read: SQLite's type for it (`type(ofOID:)`), for the types
    /// whose binary form gradlog reads.
    private enum BinaryKind: String {
        case boolean = "BOOLEAN", integer = "INTEGER", real = "REAL", text = "TEXT"

        /// The types of text (text, varchar, name, char) whose binary form is their UTF-8 bytes; any
        /// other type SQLite would take as text (a timestamp, say) has a binary form of its own.
        private static let textOIDs: Set<UInt32> = [25, 1043, 19, 1042]

        init?(oid: UInt32) {
            guard let kind = BinaryKind(rawValue: StoreRows.type(ofOID: oid)), kind != .text || Self.textOIDs.contains(oid) else {
                return nil
            }
            self = kind
        }
    }

    /// A field of binary COPY output (nil for NULL) as the value SQLite stores for its type.
    private static func value(_ field: Slice<UnsafeBufferPointer<UInt8>>?, kind: BinaryKind?, oid: UInt32, column: String,
                              table: String) throws -> SQLiteValue {
        guard let field else { return .null }
        let bytes = UnsafeBufferPointer(rebasing: field)
        switch kind {
        case .boolean where bytes.count == 1: return .integer(bytes[0] == 0 ? 0 : 1)
        case .integer where bytes.count == 2 || bytes.count == 4 || bytes.count == 8:
            return .integer(BinaryCopyReader.integer(bytes, at: 0, size: bytes.count)!)
        case .real:
            if let number = BinaryCopyReader.double(bytes, in: 0..<bytes.count) { return Measured.value(number) }
        case .text: return .text(String(decoding: bytes, as: UTF8.self))
        default: break
        }
        throw TeamStoreProblem.unreadableValue(table: table, column: column, type: kind?.rawValue ?? "PostgreSQL type \(oid)",
                                               text: "\(bytes.count) bytes")
    }

    /// A field of the store's text output as the value SQLite stores for the column's type: INTEGER,
    /// REAL or TEXT (a table's), or for a query's column also BOOLEAN (as 1 or 0) and NUMERIC (a
    /// sum of integers: an integer when its text is one, else a real).
    static func value(_ field: [UInt8]?, as column: TransferTable.Column, table: String) throws -> SQLiteValue {
        guard let field else { return .null }
        let text = String(decoding: field, as: UTF8.self)
        switch column.type {
        case "INTEGER":
            guard let value = Int64(text) else { throw unreadable(text, table, column) }
            return .integer(value)
        case "BOOLEAN" where text == "t" || text == "f":
            return .integer(text == "t" ? 1 : 0)
        case "NUMERIC" where Int64(text) != nil:
            return .integer(Int64(text)!)
        case "REAL", "NUMERIC":
            guard let parsed = double(text) else { throw unreadable(text, table, column) }
            return Measured.value(parsed)
        case "BOOLEAN":
            throw unreadable(text, table, column)
        default:
            return .text(text)
        }
    }

    /// SQLite's type for a column of the store's result, by PostgreSQL's type OID (`pg_type.oid`).
    static func type(ofOID oid: UInt32) -> String {
        switch oid {
        case 16: "BOOLEAN"
        case 20, 21, 23: "INTEGER"
        case 700, 701: "REAL"
        case 1700: "NUMERIC"
        default: "TEXT"
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
