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

    /// True when the file (or a file SQLite needs beside it) could not be opened or written because
    /// of where it lies: a read-only file, directory or file system.
    public var isUnwritablePlace: Bool { primaryCode == SQLITE_CANTOPEN || primaryCode == SQLITE_READONLY }

    /// True when a write failed because the disk or the database's size limit is full.
    public var isFull: Bool { primaryCode == SQLITE_FULL }

    /// True when the operating system reported an I/O error.
    public var isIOError: Bool { primaryCode == SQLITE_IOERR }

    // Extended result codes are C macros Swift cannot import: named here, with SQLite's values.

    /// SQLITE_IOERR_SHMSIZE: SQLite could not grow the `-shm` file, in practice because the disk is full.
    public static let ioErrorSharedMemorySize: Int32 = SQLITE_IOERR | 19 << 8
    /// SQLITE_CONSTRAINT_CHECK: a CHECK constraint failed.
    public static let constraintCheck: Int32 = SQLITE_CONSTRAINT | 1 << 8
    /// SQLITE_CONSTRAINT_NOTNULL: a NOT NULL constraint failed.
    public static let constraintNotNull: Int32 = SQLITE_CONSTRAINT | 5 << 8
    /// SQLITE_CONSTRAINT_UNIQUE: a UNIQUE constraint failed.
    public static let constraintUnique: Int32 = SQLITE_CONSTRAINT | 8 << 8

    /// True when the disk or the database's size limit is full, also where SQLite found so while
    /// growing the `-shm` file.
    public var isDiskFull: Bool { isFull || code == Self.ioErrorSharedMemorySize }

    /// The longest piece of SQL a message quotes; a generated statement can be megabytes long.
    public static let quotedSQLLimit = 300

    public var description: String {
        var text = "SQLite error \(code): \(message)"
        if let sql {
            let shown = sql.count > Self.quotedSQLLimit ? sql.prefix(Self.quotedSQLLimit) + "…" : Substring(sql)
            text += " - while executing `\(shown)`"
        }
        return text
    }
}
