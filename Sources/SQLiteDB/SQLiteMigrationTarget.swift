import CSQLite

/// An SQLite database as a migration target: `BEGIN IMMEDIATE` is its lock, foreign keys are not
/// enforced while a migration rebuilds tables (that must not cascade-delete their children) and
/// are checked, all of them, before each migration commits.
public struct SQLiteMigrationTarget: MigrationTarget {
    /// The database.
    public let connection: Database

    /// A target over `database`.
    public init(_ database: Database) {
        connection = database
    }

    public func appliedVersion() throws -> Int {
        let table = Migrator<Self>.bookkeepingTable
        // Both counts in one statement, so from one snapshot: read apart, another connection could
        // create a new file's whole schema in between, and the file would look foreign (objects
        // but no bookkeeping) to this one.
        let counts = try connection.namedRows("""
            SELECT (SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = ?) AS bookkeeping,
                   (SELECT count(*) FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%') AS objects
            """, [.text(table)])
        guard let row = counts.first else { throw SQLiteError(code: SQLITE_ERROR, message: "no row of counts", sql: nil) }
        let (bookkeeping, objects): (Int64, Int64) = try (row["bookkeeping"], row["objects"])
        if bookkeeping == 0 {
            if objects > 0 { throw MigrationError.foreignDatabase }
            return 0
        }
        return Int(try connection.scalar("SELECT max(version) FROM \(table)")?.int64Value ?? 0)
    }

    public func migrationTransaction<T>(_ body: () throws -> T) throws -> T {
        // The setting cannot change inside a transaction, so it is switched around each one.
        let enforced = try connection.scalar("PRAGMA foreign_keys") == .integer(1)
        try connection.execute("PRAGMA foreign_keys = OFF")
        defer { if enforced { try? connection.execute("PRAGMA foreign_keys = ON") } }
        return try connection.transaction(.immediate, body)
    }

    public func execute(_ sql: String) throws {
        try connection.execute(
            """
            CREATE TABLE IF NOT EXISTS \(Migrator<Self>.bookkeepingTable) (
                version INTEGER PRIMARY KEY,
                name TEXT NOT NULL,
                applied_at TEXT NOT NULL
            ) STRICT
            """)
        try connection.execute(sql)
    }

    public func check(after version: Int) throws {
        if let orphan = try connection.rows("PRAGMA foreign_key_check").first {
            throw MigrationError.foreignKeyViolation(version: version, table: orphan[0].stringValue ?? "?")
        }
    }

    public func record(version: Int, name: String) throws {
        try connection.run(
            "INSERT INTO \(Migrator<Self>.bookkeepingTable)(version, name, applied_at) "
                + "VALUES (?, ?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))",
            [.integer(Int64(version)), .text(name)])
    }
}

extension Migrator where Target == SQLiteMigrationTarget {
    /// The highest applied version of `db` (0 for a new database); reads only.
    public func appliedVersion(of db: Database) throws -> Int { try SQLiteMigrationTarget(db).appliedVersion() }

    /// `checkCompatible` for an SQLite database.
    @discardableResult
    public func checkCompatible(_ db: Database) throws -> Int { try checkCompatible(SQLiteMigrationTarget(db)) }

    /// `migrate` for an SQLite database.
    @discardableResult
    public func migrate(_ db: Database) throws -> [Int] { try migrate(SQLiteMigrationTarget(db)) }
}

/// The migrator of SQLite databases.
public typealias SQLiteMigrator = Migrator<SQLiteMigrationTarget>
