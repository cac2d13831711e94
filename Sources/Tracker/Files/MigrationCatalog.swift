import Migrations
import PostgresDB
import SQLiteDB

/// gradlog's migrations as its migrators apply them: every embedded file of `Migrations/` (which the
/// build finds; no list names them), each with its backfill when it has one. Adding a migration is
/// adding its file; a migration whose new rows only code can compute also registers a backfill here.
enum MigrationCatalog {
    /// The SQLite file's migrations, with their backfills.
    static let sqlite: [Migration<Database>] = migrations(of: EmbeddedMigrations.files, backfills: sqliteBackfills)

    /// What the SQLite migrations leave in an empty database (nil if they fail to apply), read once per
    /// process: every open checks against it (a watching `runs --watch` opens the file every second),
    /// and a new file is created from it.
    static let sqliteSchema = schema(built: EmbeddedMigrations.migratedSchema)

    /// What the build read (the backfills write nothing in an empty database, so it is what
    /// `MigratedSchema(Store.migrator)` gives: tested) when the SQLite library linked now is the one
    /// that read it; else the migrations applied now, in memory: SQLite rewrites a table's stored SQL
    /// in ALTER TABLE, and an upgraded file must match what this library writes.
    static func schema(built: EmbeddedMigrations.BuiltSchema) -> MigratedSchema? {
        guard built.sqlite == Database.libraryVersion, built.version == Store.migrator.latestVersion else {
            return try? MigratedSchema(Store.migrator)
        }
        return MigratedSchema(
            version: built.version,
            objects: built.objects.map { SchemaObject(type: $0.type, name: $0.name, table: $0.table, sql: $0.sql) },
            canCreateFromObjects: built.canCreateFromObjects, of: Store.migrator)
    }

    /// The PostgreSQL team store's migrations, with their backfills.
    static let postgres: [Migration<PostgresConnection>] = migrations(of: EmbeddedMigrations.postgres, backfills: postgresBackfills)

    /// The version that adds `epoch_blocks` (`Migrations/0011_epoch_blocks.sql`): the one place its
    /// number is written in Swift, for its backfill and the tests.
    static let epochBlocksVersion = 11

    /// The steps of SQLite migrations that only code can do, by version: 0004 computes the `epochs`
    /// rows, 0005 the `gradient_blocks` rows, `RunFingerprint.sqliteVersion` every run's fingerprint
    /// and `epochBlocksVersion` the `epoch_blocks` rows of every run already in the file, as a run
    /// of this version would have written them. Each runs in its migration's transaction, after the SQL.
    static let sqliteBackfills: [Int: @Sendable (Database) throws -> Void] = [
        4: { db in
            for id in try db.column(Int64.self, "SELECT id FROM runs ORDER BY id") {
                try EpochRebuilder.rebuild(id, in: db)
            }
        },
        5: { db in
            for id in try db.column(Int64.self, "SELECT id FROM runs ORDER BY id") {
                try GradientBlocks.complete(id, in: db)
            }
        },
        RunFingerprint.sqliteVersion: { db in try RunFingerprint.backfill(db) },
        epochBlocksVersion: { db in
            for id in try db.column(Int64.self, "SELECT id FROM runs ORDER BY id") {
                try EpochBlocks.complete(id, in: db)
            }
        },
    ]

    /// The steps of PostgreSQL migrations that only code can do, by version: none yet.
    static let postgresBackfills: [Int: @Sendable (PostgresConnection) throws -> Void] = [:]

    /// Each file as a migration numbered by its name, with the backfill of that number.
    private static func migrations<Connection>(
        of files: [(name: String, sql: String)], backfills: [Int: @Sendable (Connection) throws -> Void]
    ) -> [Migration<Connection>] {
        files.map { file in
            // A file the build embedded but no migration can be made of is a mistake in this repository, not in a user's data.
            guard let plain = Migration<Connection>(file: file.name, sql: file.sql) else {
                preconditionFailure("migration file \(file.name) does not start with a number")
            }
            return Migration(version: plain.version, name: plain.name, sql: plain.sql, backfill: backfills[plain.version])
        }
    }
}
