import SQLiteDB

/// A gradlog database file, opened, checked and migrated to the current schema.
public final class Store {
    /// The connection, for the tracker's own queries.
    public let db: Database
    /// The path the store was opened with.
    public let path: String
    /// Whether the store was opened to write or only to read.
    public let access: Access
    /// Runs whose process is gone but which could not be marked `crashed` in the file (it is
    /// read-only, or its disk is full): readers show them as crashed all the same.
    public private(set) var unmarkedCrashedRuns: Set<Int64> = []
    /// The snapshot of a team store this temporary file holds, for a command that reads the store
    /// in place: its reports are read from the server itself, and runs are loaded in as named.
    public internal(set) var snapshot: StoreSnapshot?

    /// What a command means to do with the file.
    public enum Access: Sendable {
        /// Change it: the file is created when missing.
        case write
        /// Only read it: a missing file is an error, and a read-only file, a read-only file system or
        /// a full disk still work (an older schema is upgraded when the file can be written).
        case read
        /// Never write, for a reader that stays open while others write (the web app): SQLite's
        /// `query_only` refuses any change, an older schema is refused rather than upgraded, and runs
        /// whose process is gone are shown as crashed without being marked so in the file.
        case readOnly
    }

    /// How long a write waits for another process's write lock before giving up; writers take
    /// turns of at most a commit interval, so this is many turns of eight concurrent runs.
    public static let busyTimeoutMilliseconds: Int32 = 60_000

    /// The migrations embedded in this binary, with their backfills.
    public static let migrator = SQLiteMigrator(migrations: MigrationCatalog.sqlite)

    /// Opens the database at `path` for `access`, migrated to the current schema.
    ///
    /// A database written by a newer gradlog, a file that is not a gradlog database, or one whose
    /// schema objects differ from gradlog's, is refused before anything is written to it.
    public init(path: String, access: Access = .write) throws(TrackerError) {
        self.path = path
        self.access = access
        do {
            db = try access == .write ? Self.openForWriting(path) : Self.openForReading(path, upgrading: access == .read)
            try SchemaCheck.verify(db, version: Self.migrator.latestVersion, strictness: .allowingAdditions, path: path)
            if access == .readOnly {
                try db.execute("PRAGMA query_only = ON")
                unmarkedCrashedRuns = Set(try CrashSweep.deadRuns(db, me: .current).map(\.id))
            } else {
                unmarkedCrashedRuns = try CrashSweep.sweepIfWritable(db)
            }
        } catch {
            throw Self.wrap(error, path: path)
        }
    }

    /// Leaves a self-contained database file: what the write-ahead log holds is folded into it
    /// whenever no other connection prevents that (a checkpoint that waits for no one and blocks
    /// no reader). A writer then closes as SQLite does, removing the `-wal` and `-shm` files when it
    /// is the last connection. A reader takes no lock on its way out: removing them needs the
    /// file's exclusive lock for a moment, and a `sqlite3` shell starting to read the output of
    /// `gradlog report --sql` in that moment failed with "database is locked" one time in two.
    deinit {
        guard path != ":memory:" else { return }
        if !db.isReadOnly && access != .readOnly { _ = db.checkpointWithoutWaiting() }
        if access != .write { try? db.skipCheckpointOnClose() }
    }

    private static func openForWriting(_ path: String) throws -> Database {
        try SpecialFile.checkDatabasePlace(path)
        let db = try Database(path: path)
        try configure(db)
        let version = try migrator.checkCompatible(db)
        // Only a file without pages can still choose; later, `gradlog vacuum` switches it.
        if try db.scalar("PRAGMA page_count") == .integer(0) {
            try db.execute("PRAGMA auto_vacuum = INCREMENTAL")
        }
        if path != ":memory:" {
            try db.useWriteAheadLog()
            try db.execute("PRAGMA synchronous = NORMAL")
            // Space that killed runs held in reserve is given back before this command writes.
            SideFile.removeLeftovers(besideDatabase: path, kind: RunRecorder.reserveKind)
        }
        if version == 0, let schema = MigrationCatalog.sqliteSchema { try schema.create(in: db) }
        try migrator.migrate(db)
        return db
    }

    private static func openForReading(_ path: String, upgrading: Bool) throws -> Database {
        let db = try ReadableFile.open(path)
        try configure(db)
        let version = try migrator.checkCompatible(db)
        guard version < migrator.latestVersion else { return db }
        // An older schema, or an empty file another gradlog has just created and is filling: upgrade
        // it once, through a connection that may write (each migration re-checks under the lock).
        guard !db.isReadOnly && upgrading else {
            if version == 0 {
                throw TrackerError.unreadableFile(path: path, reason: .emptyDatabase)
            }
            throw TrackerError.cannotUpgrade(path: path, version: version)
        }
        _ = try openForWriting(path)
        return db
    }

    private static func configure(_ db: Database) throws {
        db.setBusyTimeout(milliseconds: busyTimeoutMilliseconds)
        try db.execute("PRAGMA foreign_keys = ON")
    }

    /// Makes every row of these runs readable here: a file has them already; a snapshot of a team
    /// store (`StoreSnapshot`) copies them in from the store.
    public func load(_ runIDs: [Int64]) throws(TrackerError) {
        try snapshot?.load(runIDs)
    }

    /// Makes these runs readable by the readers of charts and pages: a file has their rows already;
    /// a snapshot of a team store copies all but their steps, gradients and epochs, which those
    /// readers copy as they read them (`fetch`).
    public func loadOnDemand(_ runIDs: [Int64]) throws(TrackerError) {
        try snapshot?.loadOnDemand(runIDs)
    }

    /// Makes the rows of `table` of run `runID` with these keys readable, before a reader reads them:
    /// nothing to do on a file; a snapshot of a team store copies those it does not have yet.
    func fetch(_ table: LongTable, of runID: Int64, _ keys: RowKeys) throws(TrackerError) {
        try snapshot?.fetch(table, of: runID, keys)
    }

    /// Whether `fetch` may copy rows for run `runID`: so a reader works out which rows it needs only then.
    func fetchesRows(of runID: Int64) -> Bool {
        snapshot?.readsOnDemand(runID) ?? false
    }

    /// Calls `body` every `instructions` steps of SQLite's virtual machine during a long statement
    /// (a large delete, a merge), so that a command can show it is working; nil removes it.
    public func onProgress(every instructions: Int32, _ body: (() -> Void)?) {
        db.onProgress(every: instructions, body)
    }

    /// Runs `body`, turning SQLite's errors into errors that name this database.
    public func attempt<T>(_ body: () throws -> T) throws(TrackerError) -> T {
        do {
            return try body()
        } catch {
            throw wrap(error)
        }
    }

    /// The error as a TrackerError that names this database.
    public func wrap(_ error: any Error) -> TrackerError {
        Self.wrap(error, path: path)
    }

    /// The error as a TrackerError that names the database at `path`.
    static func wrap(_ error: any Error, path: String) -> TrackerError {
        switch error {
        case let error as TrackerError: error
        case let error as SQLiteError: .database(path: path, error)
        case let error as MigrationError: .schema(path: path, error)
        default: .database(path: path, SQLiteError(code: 1, message: "\(error)"))
        }
    }
}
