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
    /// How the connection uses its file.
    public let mode: Mode

    /// How a connection may use its file.
    public enum Mode: Sendable {
        /// Read and write, creating the file when it does not exist.
        case readWriteCreate
        /// Read and write an existing file.
        case readWrite
        /// Read only; the connection writes nothing, but shares the file's locks with writers.
        case readOnly
        /// Read only a file that nothing else can change (a read-only directory or file system):
        /// SQLite then takes no locks and needs no `-shm` file, but also ignores a write-ahead log.
        case immutable

        var flags: Int32 {
            switch self {
            case .readWriteCreate: SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
            case .readWrite: SQLITE_OPEN_READWRITE
            case .readOnly, .immutable: SQLITE_OPEN_READONLY
            }
        }

        /// The query of a `file:` URI that opens a file this way, e.g. `?mode=ro`.
        public var uriParameters: String {
            switch self {
            case .readOnly: "?mode=ro"
            case .immutable: "?mode=ro&immutable=1"
            case .readWriteCreate, .readWrite: ""
            }
        }
    }

    /// Opens a connection; `path` may be `:memory:` for a private in-memory database.
    ///
    /// Every connection is hardened for files that may come from someone else: SQLite's defensive
    /// mode (no writes to the schema or to shadow tables from SQL), an untrusted schema (functions
    /// with side effects cannot run from views or generated columns) and triggers switched off.
    public init(path: String, mode: Mode = .readWriteCreate) throws {
        var handle: OpaquePointer?
        let name = path == ":memory:" ? path : Self.uri(forPath: path) + mode.uriParameters
        let code = sqlite3_open_v2(name, &handle, mode.flags | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI, nil)
        guard code == SQLITE_OK, let handle else {
            let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(code))
            let extended = handle.map { sqlite3_extended_errcode($0) } ?? code
            sqlite3_close_v2(handle)
            throw SQLiteError(code: extended, message: message)
        }
        sqlite3_extended_result_codes(handle, 1)
        self.handle = handle
        self.path = path
        self.mode = mode
        try harden()
    }

    /// A `file:` URI naming `path` exactly, for `sqlite3_open_v2` and ATTACH with URIs enabled:
    /// `%`, `?` and `#` are percent-encoded, and leading slashes collapse to one (no authority).
    public static func uri(forPath path: String) -> String {
        var body = path
        while body.hasPrefix("//") { body.removeFirst() }
        var encoded = ""
        for character in body.unicodeScalars {
            switch character {
            case "%": encoded += "%25"
            case "?": encoded += "%3f"
            case "#": encoded += "%23"
            default: encoded.unicodeScalars.append(character)
            }
        }
        return "file:" + encoded
    }

    private func harden() throws {
        for (option, on) in [(SQLITE_DBCONFIG_DEFENSIVE, 1), (SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0),
                             (SQLITE_DBCONFIG_ENABLE_TRIGGER, 0)] {
            let code = gradlog_db_config_flag(handle, option, Int32(on))
            guard code == SQLITE_OK else { throw error(code: code, sql: nil) }
        }
    }

    /// Leaves the write-ahead log as it is when this connection closes, instead of checkpointing
    /// it: a reader's close then takes no exclusive lock that could make another process (say the
    /// sqlite3 shell reading a pipe from this one) fail with "database is locked".
    public func skipCheckpointOnClose() throws {
        let code = gradlog_db_config_flag(handle, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1)
        guard code == SQLITE_OK else { throw error(code: code, sql: nil) }
    }

    /// Copies the write-ahead log's committed changes into the database file as far as other
    /// connections allow, without waiting for them, and empties the log; true when the log is empty
    /// afterwards, so that the database file alone holds everything (also true outside WAL mode).
    public func checkpointWithoutWaiting() -> Bool {
        // A checkpoint that found readers would otherwise wait for them for the whole busy timeout.
        sqlite3_busy_handler(handle, nil, nil)
        defer { if let busyMilliseconds { setBusyTimeout(milliseconds: busyMilliseconds) } }
        var frames: Int32 = 0, copied: Int32 = 0
        let code = sqlite3_wal_checkpoint_v2(handle, nil, SQLITE_CHECKPOINT_TRUNCATE, &frames, &copied)
        return code == SQLITE_OK && frames <= 0
    }

    /// True when the connection cannot write (opened read-only, or the file is not writable).
    public var isReadOnly: Bool { sqlite3_db_readonly(handle, "main") == 1 }

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

    /// How many rows every INSERT, UPDATE and DELETE on this connection has changed since it opened.
    public var totalChanges: Int { Int(sqlite3_total_changes64(handle)) }

    /// True while a transaction is open on this connection.
    public var isInTransaction: Bool { sqlite3_get_autocommit(handle) == 0 }

    /// How long a statement waits for another connection's lock before failing with SQLITE_BUSY.
    ///
    /// SQLite's own timeout handler sleeps up to 100 ms between tries, so a waiting writer can miss
    /// the short gap between another writer's transactions again and again; this one retries every
    /// millisecond. The limit travels as the context pointer's value, so nothing needs freeing.
    public func setBusyTimeout(milliseconds: Int32) {
        busyMilliseconds = milliseconds
        sqlite3_busy_handler(handle, { context, attempts in
            guard attempts < Int32(truncatingIfNeeded: Int(bitPattern: context)) else { return 0 }
            usleep(1000)
            return 1
        }, UnsafeMutableRawPointer(bitPattern: Int(milliseconds)))
    }

    /// The busy timeout set last, restored after a checkpoint that must not wait.
    private var busyMilliseconds: Int32?

    /// Switches the file to write-ahead logging, waiting for other connections for as long as the
    /// busy timeout allows.
    ///
    /// SQLite changes the journal mode by upgrading a read lock the statement already holds, and it
    /// never calls the busy handler for such an upgrade (waiting there could deadlock): eight
    /// processes opening one new file at once saw "database is locked" at once. Running the
    /// statement again gives up the read lock between tries, so a try waits for no one.
    public func useWriteAheadLog() throws {
        // A deadline, not a count of tries: a try may itself wait in the busy handler.
        let clock = ContinuousClock()
        let deadline = clock.now + .milliseconds(busyMilliseconds ?? 0)
        while true {
            do {
                return try execute("PRAGMA journal_mode = WAL")
            } catch let error as SQLiteError where error.isBusy && clock.now < deadline {
                usleep(1000)
            }
        }
    }

    /// The closure SQLite's progress handler calls, kept alive while it is installed.
    private final class ProgressCallback {
        let body: () -> Void
        init(_ body: @escaping () -> Void) { self.body = body }
    }
    private var progressCallback: ProgressCallback?

    /// Calls `body` every `instructions` virtual-machine instructions of a long statement (a large
    /// DELETE, VACUUM or copy), so a command can show it is working; nil removes it.
    public func onProgress(every instructions: Int32, _ body: (() -> Void)?) {
        guard let body else {
            sqlite3_progress_handler(handle, 0, nil, nil)
            progressCallback = nil
            return
        }
        let callback = ProgressCallback(body)
        progressCallback = callback
        sqlite3_progress_handler(handle, instructions, { context in
            guard let context else { return 0 }
            Unmanaged<ProgressCallback>.fromOpaque(context).takeUnretainedValue().body()
            return 0
        }, Unmanaged.passUnretained(callback).toOpaque())
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
