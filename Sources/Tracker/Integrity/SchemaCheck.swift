import SQLiteDB

/// Compares a file's schema objects (tables, views, indexes, triggers) with what gradlog's own
/// migrations create for its schema version, before any of its rows are read.
///
/// A file from elsewhere can hold a view named like a table (feeding made-up rows), a trigger (that
/// changes data when gradlog writes), or a table whose columns or constraints were altered. Every
/// object is compared by its type, name, table and exact SQL text, which SQLite keeps verbatim.
enum SchemaCheck {
    /// How much a file may differ.
    enum Strictness {
        /// Exactly gradlog's objects, nothing more (files to merge from).
        case exact
        /// gradlog's objects unchanged, plus the user's own objects (the user's database, which people
        /// query and index with the sqlite3 shell; gradlog's connections never fire triggers).
        case allowingAdditions
    }

    /// Throws `.untrustedSchema` when the schema `schemaName` of `db` (e.g. `main`) differs from the
    /// one gradlog's migrations give `version`.
    static func verify(
        _ db: Database, schemaName: String = "main", version: Int, strictness: Strictness, path: String
    ) throws(TrackerError) {
        let found: [SchemaObject]
        let expected: [SchemaObject]
        do {
            found = try db.schemaObjects(in: SQLIdentifier.quoted(schemaName))
            let latest = MigrationCatalog.sqliteSchema
            expected = try (version == latest?.version ? latest?.objects : nil) ?? expectedObjects(version: version)
        } catch {
            throw Store.wrap(error, path: path)
        }
        if let problem = difference(found: found, expected: expected, strictness: strictness) {
            throw .untrustedSchema(path: path, version: version, problem: problem)
        }
    }

    /// The objects a database of `version` made by this program has, built in memory (for the
    /// current version, `MigrationCatalog.sqliteSchema` has them already, read once per process).
    static func expectedObjects(version: Int) throws -> [SchemaObject] {
        let migrations = Store.migrator.migrations.filter { $0.version <= version }
        return try MigratedSchema(Migrator(migrations: migrations)).objects
    }

    /// The first difference that matters, or nil.
    static func difference(found: [SchemaObject], expected: [SchemaObject], strictness: Strictness) -> SchemaDifference? {
        let byName = Dictionary(found.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        for object in expected {
            guard let actual = byName[object.name] else { return .missing(type: object.type, name: object.name) }
            if actual.type != object.type { return .otherType(name: object.name, found: actual.type, expected: object.type) }
            if actual != object { return .redefined(type: object.type, name: object.name) }
        }
        let known = Set(expected.map(\.name))
        guard strictness == .exact else { return nil }
        for object in found where !known.contains(object.name) && !isStatistics(object) {
            return .extra(type: object.type, name: object.name)
        }
        return nil
    }

    /// `ANALYZE`'s statistics tables change only query plans, never results.
    private static func isStatistics(_ object: SchemaObject) -> Bool {
        object.type == "table" && object.name.hasPrefix("sqlite_stat")
    }
}
