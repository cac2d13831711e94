/// A database the migrator can bring up to date: SQLite's file or the PostgreSQL team store. The
/// migrator owns the order and the rules (refuse newer, one transaction per migration, re-read
/// the version under the lock); a target says how its database does each part.
public protocol MigrationTarget {
    /// What a migration's backfill is handed.
    associatedtype Connection

    /// The connection backfills run on.
    var connection: Connection { get }

    /// The highest applied version, 0 for an empty database; throws for a database of another program.
    func appliedVersion() throws -> Int

    /// Runs `body` in one transaction that holds the lock migrations take, so that of several
    /// processes migrating at once one applies each migration and the others see it done.
    func migrationTransaction<T>(_ body: () throws -> T) throws -> T

    /// Runs a migration's SQL, inside the transaction.
    func execute(_ sql: String) throws

    /// Checks what the migration left before its bookkeeping row is written (SQLite: its foreign keys).
    func check(after version: Int) throws

    /// Writes the bookkeeping row of an applied migration.
    func record(version: Int, name: String) throws
}
