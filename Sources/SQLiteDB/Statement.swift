import CSQLite

/// SQLite's marker that makes it copy bound text and blobs; Swift cannot import the C macro.
private let transientDestructor = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

/// A prepared statement: bind parameters (numbered from 1), step through rows, reset and reuse.
///
/// ```swift
/// let insert = try db.prepare("INSERT INTO t(a, b) VALUES (?, ?)")
/// try insert.bind(1.5, at: 1); try insert.bind("x", at: 2)
/// try insert.run()
/// ```
public final class Statement {
    let handle: OpaquePointer
    /// Held strongly: the connection stays open while any of its statements exists, so a statement
    /// kept longer than its database can never reach a closed handle.
    let database: Database
    /// Result column indexes by name, filled on first use.
    private var indexesByName: [String: Int32]?
    /// The column names and indexes every `namedRow()` shares, filled on first use.
    private var rowShape: SQLiteRow?
    /// The SQL text the statement was prepared from.
    public let sql: String

    init(database: Database, sql: String) throws {
        var handle: OpaquePointer?
        let code = sqlite3_prepare_v2(database.handle, sql, -1, &handle, nil)
        guard code == SQLITE_OK, let handle else {
            throw database.error(code: code, sql: sql)
        }
        self.handle = handle
        self.database = database
        self.sql = sql
    }

    deinit { sqlite3_finalize(handle) }

    // MARK: Binding

    /// Binds a Double (SQLite itself turns NaN into NULL).
    public func bind(_ value: Double, at index: Int32) throws {
        try check(sqlite3_bind_double(handle, index, value))
    }

    /// Binds a 64-bit integer.
    public func bind(_ value: Int64, at index: Int32) throws {
        try check(sqlite3_bind_int64(handle, index, value))
    }

    /// Binds an Int as a 64-bit integer.
    public func bind(_ value: Int, at index: Int32) throws {
        try bind(Int64(value), at: index)
    }

    /// Binds text, copied by SQLite with its byte length, so text after a NUL byte is kept.
    public func bind(_ value: String, at index: Int32) throws {
        var text = value
        let code = text.withUTF8 { bytes in
            bytes.withMemoryRebound(to: CChar.self) { characters in
                // An empty buffer may have no address, and a NULL pointer would bind NULL, not ''.
                guard let start = characters.baseAddress else { return sqlite3_bind_text(handle, index, "", 0, nil) }
                return sqlite3_bind_text(handle, index, start, Int32(characters.count), transientDestructor)
            }
        }
        try check(code)
    }

    /// Binds any storage-class value.
    public func bind(_ value: SQLiteValue, at index: Int32) throws {
        switch value {
        case .null: try check(sqlite3_bind_null(handle, index))
        case .integer(let number): try bind(number, at: index)
        case .real(let number): try bind(number, at: index)
        case .text(let text): try bind(text, at: index)
        case .blob(let bytes):
            try check(bytes.withUnsafeBytes {
                sqlite3_bind_blob(handle, index, $0.baseAddress, Int32($0.count), transientDestructor)
            })
        }
    }

    /// Binds every value in order, starting at parameter 1; the count must match the statement's.
    public func bind(_ values: [SQLiteValue]) throws {
        let expected = Int(sqlite3_bind_parameter_count(handle))
        guard values.count == expected else {
            throw SQLiteError(
                code: SQLITE_RANGE, message: "\(values.count) values given for \(expected) parameters", sql: sql)
        }
        for (offset, value) in values.enumerated() {
            try bind(value, at: Int32(offset + 1))
        }
    }

    /// The index of a named parameter such as `:run`, or nil when the statement has none by that name.
    public func parameterIndex(_ name: String) -> Int32? {
        let index = sqlite3_bind_parameter_index(handle, name)
        return index == 0 ? nil : index
    }

    // MARK: Stepping

    /// Advances to the next row; returns false when there are no more rows.
    @discardableResult
    public func step() throws -> Bool {
        let code = sqlite3_step(handle)
        switch code {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default:
            sqlite3_reset(handle)
            throw database.error(code: code, sql: sql)
        }
    }

    /// Runs the statement to completion, then resets it so it can be bound and run again.
    public func run() throws {
        defer { sqlite3_reset(handle) }
        while try step() {}
    }

    /// Resets the statement to run again; bound values are kept until rebound.
    public func reset() {
        sqlite3_reset(handle)
    }

    // MARK: Columns of the current row

    /// The number of columns in each result row.
    public var columnCount: Int32 { sqlite3_column_count(handle) }

    /// The name of a result column (its alias when the query gives one).
    public func columnName(at index: Int32) -> String {
        String(cString: sqlite3_column_name(handle, index))
    }

    /// The names of all result columns.
    public var columnNames: [String] { (0..<columnCount).map(columnName(at:)) }

    /// The column as a Double (SQLite converts integers; NULL reads as 0).
    public func double(at index: Int32) -> Double { sqlite3_column_double(handle, index) }

    /// The column as a 64-bit integer.
    public func int64(at index: Int32) -> Int64 { sqlite3_column_int64(handle, index) }

    /// The column as text, or nil when it is NULL; every byte is kept, NUL bytes included, but bytes
    /// that are not UTF-8 (SQLite stores whatever bytes it is given as TEXT) read as U+FFFD.
    public func text(at index: Int32) -> String? {
        guard let pointer = sqlite3_column_text(handle, index) else { return nil }
        let count = Int(sqlite3_column_bytes(handle, index))
        return String(decoding: UnsafeBufferPointer(start: pointer, count: count), as: UTF8.self)
    }

    /// Whether the column's stored bytes are valid UTF-8, so that `text(at:)` reads them unchanged;
    /// true for NULL, numbers and blobs.
    public func isValidUTF8(at index: Int32) -> Bool {
        guard sqlite3_column_type(handle, index) == SQLITE_TEXT, let pointer = sqlite3_column_text(handle, index) else {
            return true
        }
        let bytes = UnsafeBufferPointer(start: pointer, count: Int(sqlite3_column_bytes(handle, index)))
        guard bytes.contains(where: { $0 >= 0x80 }) else { return true }
        var iterator = bytes.makeIterator()
        var decoder = Unicode.UTF8()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue: continue
            case .emptyInput: return true
            case .error: return false
            }
        }
    }

    /// The column with its storage class.
    public func value(at index: Int32) -> SQLiteValue {
        switch sqlite3_column_type(handle, index) {
        case SQLITE_INTEGER: return .integer(int64(at: index))
        case SQLITE_FLOAT: return .real(double(at: index))
        case SQLITE_TEXT: return .text(text(at: index) ?? "")
        case SQLITE_BLOB:
            let count = Int(sqlite3_column_bytes(handle, index))
            guard count > 0, let bytes = sqlite3_column_blob(handle, index) else { return .blob([]) }
            return .blob(Array(UnsafeRawBufferPointer(start: bytes, count: count)))
        default: return .null
        }
    }

    /// The index of the result column called `name` (the first, when several share it), or nil.
    public func columnIndex(_ name: String) -> Int32? {
        if indexesByName == nil {
            var indexes: [String: Int32] = [:]
            for index in (0..<columnCount).reversed() { indexes[columnName(at: index)] = index }
            indexesByName = indexes
        }
        return indexesByName?[name]
    }

    /// The index of the result column called `name`, for streaming reads that resolve their
    /// columns by name once and then read each row by index; throws (SQLITE_RANGE) when the query
    /// has no such column, the same policy as `SQLiteRow`.
    public func column(named name: String) throws -> Int32 {
        guard let index = columnIndex(name) else { throw SQLiteError.missingColumn(name, sql: sql) }
        return index
    }

    /// The column called `name` of the current row; throws when the query has no such column.
    public func value(named name: String) throws -> SQLiteValue {
        value(at: try column(named: name))
    }

    /// The current row's column at `index` decoded into `T`; throws SQLITE_MISMATCH, naming the
    /// column, when its value does not fit.
    @inlinable
    public func decode<T: SQLiteDecodable>(_ type: T.Type, at index: Int32) throws -> T {
        let value = value(at: index)
        guard let decoded = T.decode(value) else {
            throw SQLiteError.mismatch(column: columnName(at: index), value: value, expected: T.expected, sql: sql)
        }
        return decoded
    }

    /// The current row's column called `name` decoded into `T`.
    public func decode<T: SQLiteDecodable>(_ type: T.Type, named name: String) throws -> T {
        try decode(type, at: try column(named: name))
    }

    /// Every column of the current row, in order, for output that shows whatever columns a query has.
    public func row() -> [SQLiteValue] { (0..<columnCount).map(value(at:)) }

    /// The current row, read by column name.
    public func namedRow() -> SQLiteRow {
        let shape = rowShape ?? SQLiteRow(columns: columnNames, values: [])
        rowShape = shape
        return SQLiteRow(columns: shape.columns, indexes: shape.indexes, values: row(), sql: sql)
    }

    private func check(_ code: Int32) throws {
        guard code == SQLITE_OK else { throw database.error(code: code, sql: sql) }
    }
}
