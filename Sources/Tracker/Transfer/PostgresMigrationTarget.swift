import PostgresDB
import SQLiteDB

/// The PostgreSQL team store as a migration target: a transaction holding an advisory lock is its
/// migration lock, so that machines pushing to a new store at once create its tables once; a
/// `schema_migrations` table without `runs` beside it belongs to another program.
struct PostgresMigrationTarget: MigrationTarget {
    /// The store's connection, its `search_path` pinned to the store's schema.
    let connection: PostgresConnection
    /// The store's schema, for the words of a refusal.
    let schema: String

    /// The bookkeeping table, as the migrator names it.
    static let table = Migrator<Self>.bookkeepingTable

    /// The key of the advisory lock held while migrating (any fixed number; this one spells "gradlog").
    static let lock: Int64 = 0x6772_6164_6C6F_67

    func appliedVersion() throws -> Int {
        // No schema yet (a pull from a database never pushed to): no store there.
        if try connection.query("SELECT current_schema() IS NULL").scalar == "t" { return 0 }
        let tables = try connection.query(
            "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()").scalar.flatMap { Int($0) } ?? 0
        // Other programs keep a schema_migrations table too (Rails, golang-migrate): gradlog's has runs beside it.
        let hasBookkeeping = try connection.query(
            "SELECT to_regclass('\(Self.table)') IS NOT NULL AND to_regclass('runs') IS NOT NULL").scalar == "t"
        guard hasBookkeeping else {
            if tables > 0 { throw TeamStoreProblem.foreignDatabase(schema: schema) }
            return 0
        }
        return try connection.query("SELECT coalesce(max(version), 0) FROM \(Self.table)").scalar.flatMap { Int($0) } ?? 0
    }

    func migrationTransaction<T>(_ body: () throws -> T) throws -> T {
        try connection.transaction {
            try connection.query("SELECT pg_advisory_xact_lock(\(Self.lock))")
            return try body()
        }
    }

    func execute(_ sql: String) throws {
        try connection.execute(sql)
    }

    func check(after version: Int) throws {}  // PostgreSQL enforces foreign keys as the rows are written

    func record(version: Int, name: String) throws {
        try connection.query("INSERT INTO \(Self.table) (version, name, applied_at) VALUES ($1, $2, $3)",
                             [String(version), name, Timestamp.now()])
    }
}
