import CSQLite

/// An error reported by SQLite, keeping its result code, its message and the SQL that failed.
public struct SQLiteError: Error, Equatable, CustomStringConvertible {
    /// The extended SQLite result code, e.g. 19 (SQLITE_CONSTRAINT) or 2067 (SQLITE_CONSTRAINT_UNIQUE).
    public let code: Int32
    /// SQLite's own message, e.g. "NOT NULL constraint failed: runs.name".
    public let message: String
    /// The statement that was being prepared or run, when there was one.
    public let sql: String?

    /// Creates an error from its parts.
    public init(code: Int32, message: String, sql: String? = nil) {
        self.code = code
        self.message = message
        self.sql = sql
    }

    /// The primary result code, without the extended bits (SQLITE_CONSTRAINT for all constraint errors).
    public var primaryCode: Int32 { code & 0xFF }

    /// True when another connection held a lock for longer than the busy timeout.
    public var isBusy: Bool { primaryCode == SQLITE_BUSY || primaryCode == SQLITE_LOCKED }

    public var description: String {
        var text = "SQLite error \(code): \(message)"
        if let sql { text += " - while executing `\(sql)`" }
        return text
    }
}
