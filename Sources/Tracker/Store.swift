import Migrations
import SQLiteDB

/// A gradlog database file, opened, checked and migrated to the current schema.
public final class Store {
    /// The connection, for the tracker's own queries.
    public let db: Database
    /// The path the store was opened with.
    public let path: String

    /// How long a write waits for another process's write lock before giving up; writers take
    /// turns of at most a commit interval, so this is many turns of eight concurrent runs.
    public static let busyTimeoutMilliseconds: Int32 = 60_000

    /// The migrations embedded in this binary.
    public static let migrator = Migrator(migrations: EmbeddedMigrations.files.map(migration(fromFile:)))

    /// Opens (creating if needed) and migrates the database at `path`.
    ///
    /// A database written by a newer gradlog, or a file that is not a gradlog database, is refused
    /// before anything is written to it.
    public init(path: String) throws(TrackerError) {
        self.path = path
        do {
            db = try Database(path: path)
            db.setBusyTimeout(milliseconds: Self.busyTimeoutMilliseconds)
            try db.execute("PRAGMA foreign_keys = ON")
            try Self.migrator.checkCompatible(db)
            // Only a file without pages can still choose; later, `gradlog vacuum` switches it.
            if try db.scalar("PRAGMA page_count") == .integer(0) {
                try db.execute("PRAGMA auto_vacuum = INCREMENTAL")
            }
            if path != ":memory:" {
                try db.execute("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL")
            }
            try Self.migrator.migrate(db)
            try CrashSweep.sweep(db)
        } catch {
            throw Self.wrap(error, path: path)
        }
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

    /// Reads `NNNN_name.sql` into a migration numbered NNNN.
    static func migration(fromFile file: (name: String, sql: String)) -> Migration {
        let stem = file.name.split(separator: ".").first ?? ""
        let parts = stem.split(separator: "_", maxSplits: 1)
        guard let version = Int(parts.first ?? "") else {
            preconditionFailure("migration file \(file.name) does not start with a number")
        }
        return Migration(version: version, name: parts.count > 1 ? String(parts[1]) : "", sql: file.sql)
    }
}
