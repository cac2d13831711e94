/// One numbered schema change: SQL that is never edited once released, and optionally a step in
/// code that fills new tables from the old rows (in the same transaction, after the SQL).
public struct Migration: Sendable, Equatable {
    /// The migration's number; migrations apply in increasing order.
    public let version: Int
    /// A short name, e.g. "init".
    public let name: String
    /// The SQL script, run as one transaction together with its bookkeeping row.
    public let sql: String
    /// Runs after `sql`, inside the same transaction: for values only code can compute.
    public let backfill: (@Sendable (Database) throws -> Void)?

    /// Creates a migration from its parts.
    public init(version: Int, name: String, sql: String, backfill: (@Sendable (Database) throws -> Void)? = nil) {
        self.version = version
        self.name = name
        self.sql = sql
        self.backfill = backfill
    }

    /// Two migrations are the same when their number, name and SQL are (code cannot be compared).
    public static func == (lhs: Migration, rhs: Migration) -> Bool {
        lhs.version == rhs.version && lhs.name == rhs.name && lhs.sql == rhs.sql
            && (lhs.backfill == nil) == (rhs.backfill == nil)
    }
}

/// Why a database could not be brought to the current schema.
public enum MigrationError: Error, Equatable, CustomStringConvertible {
    /// The database was written by a newer program: its schema version is above the latest one known.
    case newerSchema(found: Int, supported: Int)
    /// The file holds tables but none of the migration bookkeeping: it belongs to another program.
    case foreignDatabase
    /// After migration `version`, rows of `table` pointed at rows that do not exist: rolled back.
    case foreignKeyViolation(version: Int, table: String)

    public var description: String {
        switch self {
        case let .newerSchema(found, supported):
            "the database has schema version \(found), but this program knows versions up to \(supported); "
                + "it was written by a newer version: upgrade this program (the file was not changed)"
        case .foreignDatabase:
            "the file is an SQLite database that was not made by this program (it has tables but no "
                + "schema_migrations table); choose another file (the file was not changed)"
        case let .foreignKeyViolation(version, table):
            "upgrading to schema version \(version) found rows of \(table) that belong to no row they refer to; "
                + "the upgrade was rolled back (the file was not changed)"
        }
    }
}

/// Applies numbered migrations in order, each in one transaction with its row in `schema_migrations`.
public struct Migrator: Sendable {
    /// The bookkeeping table: one row per applied migration.
    public static let bookkeepingTable = "schema_migrations"

    /// The known migrations, sorted by version.
    public let migrations: [Migration]

    /// Creates a migrator; the migrations are sorted by version.
    public init(migrations: [Migration]) {
        self.migrations = migrations.sorted { $0.version < $1.version }
    }

    /// The latest version this migrator knows.
    public var latestVersion: Int { migrations.last?.version ?? 0 }

    /// The highest applied version (0 for a new database); reads only, so it never changes the file.
    public func appliedVersion(of db: Database) throws -> Int {
        let hasBookkeeping = try db.scalar(
            "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = ?", [.text(Self.bookkeepingTable)])
        if hasBookkeeping?.int64Value == 0 {
            let tables = try db.scalar("SELECT count(*) FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%'")
            if let count = tables?.int64Value, count > 0 { throw MigrationError.foreignDatabase }
            return 0
        }
        let version = try db.scalar("SELECT max(version) FROM \(Self.bookkeepingTable)")
        return Int(version?.int64Value ?? 0)
    }

    /// Refuses, without writing, a database whose schema is newer than this migrator knows, and
    /// returns the version it has.
    @discardableResult
    public func checkCompatible(_ db: Database) throws -> Int {
        let applied = try appliedVersion(of: db)
        if applied > latestVersion {
            throw MigrationError.newerSchema(found: applied, supported: latestVersion)
        }
        return applied
    }

    /// Applies every pending migration and returns the versions it applied.
    ///
    /// Each one runs in an IMMEDIATE transaction that re-reads the version first, so when several
    /// processes open a new database at once exactly one of them applies each migration. Foreign
    /// keys are not enforced while a migration runs (rebuilding a table must not cascade-delete
    /// its children) and are checked, all of them, before it commits.
    @discardableResult
    public func migrate(_ db: Database) throws -> [Int] {
        // Up to date: done without taking the write lock, so opening never waits for a writer.
        guard try checkCompatible(db) < latestVersion else { return [] }
        // The setting cannot change inside a transaction, so it is switched around each one.
        let enforced = try db.scalar("PRAGMA foreign_keys") == .integer(1)
        try db.execute("PRAGMA foreign_keys = OFF")
        defer { if enforced { try? db.execute("PRAGMA foreign_keys = ON") } }
        var applied: [Int] = []
        for migration in migrations where try apply(migration, to: db) {
            applied.append(migration.version)
        }
        return applied
    }

    private func apply(_ migration: Migration, to db: Database) throws -> Bool {
        try db.transaction(.immediate) { () throws -> Bool in
            // Re-read under the write lock: another process may have just applied it.
            guard try checkCompatible(db) < migration.version else { return false }
            try db.execute(
                """
                CREATE TABLE IF NOT EXISTS \(Self.bookkeepingTable) (
                    version INTEGER PRIMARY KEY,
                    name TEXT NOT NULL,
                    applied_at TEXT NOT NULL
                ) STRICT
                """)
            try db.execute(migration.sql)
            try migration.backfill?(db)
            if let orphan = try db.rows("PRAGMA foreign_key_check").first {
                throw MigrationError.foreignKeyViolation(version: migration.version, table: orphan[0].stringValue ?? "?")
            }
            try db.run(
                "INSERT INTO \(Self.bookkeepingTable)(version, name, applied_at) "
                    + "VALUES (?, ?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))",
                [.integer(Int64(migration.version)), .text(migration.name)])
            return true
        }
    }
}
