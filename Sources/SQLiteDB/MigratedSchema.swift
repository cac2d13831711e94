/// What a migrator's migrations leave in an empty database, read from an in-memory database they
/// were applied to: the objects an opened file is compared with, and the recipe a new file is
/// created from. A program may read it when it is built and keep it (`init(version:objects:…)`),
/// rather than apply its migrations in memory in every process (about 11 ms in a debug build).
///
/// Replaying every migration re-parses the whole schema after each ALTER TABLE and table rebuild
/// (about 12 ms of SQLite's time for gradlog's eleven); creating the tables, indexes, views and
/// triggers they end with takes about 1 ms. The migrations stay the one declaration of the schema:
/// this is their result, read back, and a database created from it records each of them as applied.
public struct MigratedSchema: Sendable, Equatable {
    /// The version the migrations reach.
    public let version: Int
    /// The objects they leave, in the order SQLite keeps them.
    public let objects: [SchemaObject]
    /// Whether a new database may be created from `objects` alone: the migrations wrote no rows but
    /// their bookkeeping ones, set no header field (`user_version`, `application_id`), made no
    /// virtual table (whose shadow tables its own CREATE makes) and ran no `ANALYZE`.
    public let canCreateFromObjects: Bool
    private let applied: [Applied]

    private struct Applied: Sendable, Equatable {
        let version: Int
        let name: String
    }

    /// Applies `migrator`'s migrations to an in-memory database and reads what they leave.
    public init(_ migrator: SQLiteMigrator) throws {
        let db = try Database(path: ":memory:")
        try migrator.migrate(db)
        let objects = try db.schemaObjects()
        let headerUntouched = try db.scalar("PRAGMA user_version") == .integer(0)
            && db.scalar("PRAGMA application_id") == .integer(0)
        let plainObjects = !objects.contains {
            $0.name.hasPrefix("sqlite_stat") || $0.sql?.uppercased().hasPrefix("CREATE VIRTUAL TABLE") == true
        }
        self.init(version: migrator.latestVersion, objects: objects,
                  canCreateFromObjects: headerUntouched && plainObjects && db.totalChanges == migrator.migrations.count,
                  of: migrator)
    }

    /// The schema of `migrator`'s migrations as read earlier by the other initializer (when the
    /// program was built, say): its version, objects, and whether a new database may be created from
    /// the objects alone. It must have been read with the same migrations and SQLite library.
    public init(version: Int, objects: [SchemaObject], canCreateFromObjects: Bool, of migrator: SQLiteMigrator) {
        self.version = version
        self.objects = objects
        self.canCreateFromObjects = canCreateFromObjects
        applied = migrator.migrations.map { Applied(version: $0.version, name: $0.name) }
    }

    /// Creates this schema in `db` if it is still empty and records every migration as applied, in
    /// one migration transaction: of several processes creating the same new file at once, one
    /// creates it and the others find it done. Returns whether it did.
    @discardableResult
    public func create(in db: Database) throws -> Bool {
        guard canCreateFromObjects else { return false }
        let target = SQLiteMigrationTarget(db)
        return try target.migrationTransaction { () throws -> Bool in
            guard try target.appliedVersion() == 0 else { return false }
            // Tables first: an index, a view or a trigger needs its tables, whatever order the
            // migrations' rebuilds left them in.
            for type in ["table", "index", "view", "trigger"] {
                for object in objects where object.type == type {
                    if let sql = object.sql, !object.name.hasPrefix("sqlite_") { try db.execute(sql) }
                }
            }
            try target.check(after: version)
            for migration in applied { try target.record(version: migration.version, name: migration.name) }
            return true
        }
    }
}
