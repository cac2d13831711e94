#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CSQLite

/// One connection to an SQLite database file (or `:memory:`), closed when released.
///
/// A connection is used from one thread at a time; it is not shared across tasks.
public final class Database {
    let handle: OpaquePointer
    /// The path the connection was opened with.
    public let path: String

    /// How a connection may use its file.
    public enum Mode: Sendable {
        /// Read and write, creating the file when it does not exist.
        case readWriteCreate
        /// Read and write an existing file.
        case readWrite
        /// Read only; nothing can change the file.
        case readOnly

        var flags: Int32 {
            switch self {
            case .readWriteCreate: SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
            case .readWrite: SQLITE_OPEN_READWRITE
            case .readOnly: SQLITE_OPEN_READONLY
            }
        }
    }

    /// Opens a connection; `path` may be `:memory:` for a private in-memory database.
    public init(path: String, mode: Mode = .readWriteCreate) throws {
        var handle: OpaquePointer?
        let code = sqlite3_open_v2(path, &handle, mode.flags | SQLITE_OPEN_NOMUTEX, nil)
        guard code == SQLITE_OK, let handle else {
            let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(code))
            sqlite3_close_v2(handle)
            throw SQLiteError(code: code, message: message)
        }
        sqlite3_extended_result_codes(handle, 1)
        self.handle = handle
        self.path = path
    }

    deinit { sqlite3_close_v2(handle) }

    /// The version of the SQLite library in use, e.g. "3.40.1".
    public static var libraryVersion: String { String(cString: sqlite3_libversion()) }

    /// Runs one or more statements separated by semicolons, ignoring any rows they return.
    public func execute(_ sql: String) throws {
        var message: UnsafeMutablePointer<CChar>?
        let code = sqlite3_exec(handle, sql, nil, nil, &message)
        guard code == SQLITE_OK else {
            let text = message.map { String(cString: $0) } ?? String(cString: sqlite3_errstr(code))
            sqlite3_free(message)
            throw SQLiteError(code: sqlite3_extended_errcode(handle), message: text, sql: sql)
        }
    }

    /// Prepares one statement for binding and stepping.
    public func prepare(_ sql: String) throws -> Statement {
        try Statement(database: self, sql: sql)
    }

    /// Runs one statement with its parameters bound in order.
    public func run(_ sql: String, _ parameters: [SQLiteValue] = []) throws {
        let statement = try prepare(sql)
        try statement.bind(parameters)
        try statement.run()
    }

    /// Runs a query and returns all of its rows.
    public func rows(_ sql: String, _ parameters: [SQLiteValue] = []) throws -> [[SQLiteValue]] {
        let statement = try prepare(sql)
        try statement.bind(parameters)
        var rows: [[SQLiteValue]] = []
        while try statement.step() { rows.append(statement.row()) }
        return rows
    }

    /// Runs a query and returns the first column of its first row, or nil when there is no row.
    public func scalar(_ sql: String, _ parameters: [SQLiteValue] = []) throws -> SQLiteValue? {
        let statement = try prepare(sql)
        try statement.bind(parameters)
        return try statement.step() ? statement.value(at: 0) : nil
    }

    /// Copies the whole database, as one consistent snapshot, into a new file at `path` (SQLite's
    /// online backup; unlike `VACUUM INTO`, it copies pages and so handles every kind of table).
    public func backup(to path: String) throws {
        let destination = try Database(path: path)
        guard let backup = sqlite3_backup_init(destination.handle, "main", handle, "main") else {
            throw destination.error(code: sqlite3_errcode(destination.handle), sql: nil)
        }
        let code = sqlite3_backup_step(backup, -1)
        sqlite3_backup_finish(backup)
        guard code == SQLITE_DONE else { throw destination.error(code: code, sql: nil) }
    }

    /// The rowid of the last row inserted on this connection.
    public var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    /// How many rows the last INSERT, UPDATE or DELETE changed.
    public var changes: Int { Int(sqlite3_changes64(handle)) }

    /// True while a transaction is open on this connection.
    public var isInTransaction: Bool { sqlite3_get_autocommit(handle) == 0 }

    /// How long a statement waits for another connection's lock before failing with SQLITE_BUSY.
    ///
    /// SQLite's own timeout handler sleeps up to 100 ms between tries, so a waiting writer can miss
    /// the short gap between another writer's transactions again and again; this one retries every
    /// millisecond. The limit travels as the context pointer's value, so nothing needs freeing.
    public func setBusyTimeout(milliseconds: Int32) {
        sqlite3_busy_handler(handle, { context, attempts in
            guard attempts < Int32(truncatingIfNeeded: Int(bitPattern: context)) else { return 0 }
            usleep(1000)
            return 1
        }, UnsafeMutableRawPointer(bitPattern: Int(milliseconds)))
    }

    /// How a transaction takes its locks.
    public enum TransactionKind: String, Sendable {
        /// Takes locks when first needed.
        case deferred = "DEFERRED"
        /// Takes the write lock at once, so a read-then-write cannot deadlock with another writer.
        case immediate = "IMMEDIATE"
    }

    /// Runs `body` in a transaction: commits when it returns, rolls back when it throws.
    public func transaction<T>(_ kind: TransactionKind = .deferred, _ body: () throws -> T) throws -> T {
        try execute("BEGIN \(kind.rawValue)")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            if isInTransaction { try? execute("ROLLBACK") }
            throw error
        }
    }

    func error(code: Int32, sql: String?) -> SQLiteError {
        let extended = sqlite3_extended_errcode(handle)
        let message = String(cString: sqlite3_errmsg(handle))
        return SQLiteError(code: extended != 0 ? extended : code, message: message, sql: sql)
    }
}
