/// Applies numbered migrations in order to any `MigrationTarget`, each in one transaction with its
/// bookkeeping row, refusing a database newer than it knows: one set of rules for the SQLite file
/// and the PostgreSQL store alike.
public struct Migrator<Target: MigrationTarget>: Sendable {
    /// The bookkeeping table: one row per applied migration.
    public static var bookkeepingTable: String { "schema_migrations" }

    /// The known migrations, sorted by version.
    public let migrations: [Migration<Target.Connection>]

    /// Creates a migrator; the migrations are sorted by version.
    public init(migrations: [Migration<Target.Connection>]) {
        self.migrations = migrations.sorted { $0.version < $1.version }
    }

    /// The latest version this migrator knows.
    public var latestVersion: Int { migrations.last?.version ?? 0 }

    /// Refuses, without writing, a database whose schema is newer than this migrator knows, and
    /// returns the version it has.
    @discardableResult
    public func checkCompatible(_ target: Target) throws -> Int {
        let applied = try target.appliedVersion()
        if applied > latestVersion { throw MigrationError.newerSchema(found: applied, supported: latestVersion) }
        return applied
    }

    /// Applies every pending migration and returns the versions it applied; `before` runs in each
    /// migration's transaction, under its lock, before its SQL (a check of what is there).
    ///
    /// Each migration re-reads the version under the lock first, so when several processes open a
    /// new database at once exactly one of them applies it.
    @discardableResult
    public func migrate(_ target: Target, before: () throws -> Void = {}) throws -> [Int] {
        // Up to date: done without taking the lock, so opening never waits for a writer.
        guard try checkCompatible(target) < latestVersion else { return [] }
        var applied: [Int] = []
        for migration in migrations {
            let done = try target.migrationTransaction { () throws -> Bool in
                guard try checkCompatible(target) < migration.version else { return false }
                try before()
                try target.execute(migration.sql)
                try migration.backfill?(target.connection)
                try target.check(after: migration.version)
                try target.record(version: migration.version, name: migration.name)
                return true
            }
            if done { applied.append(migration.version) }
        }
        return applied
    }
}
