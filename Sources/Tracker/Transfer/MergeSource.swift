import SQLiteDB

/// Another gradlog database to merge runs from, opened read-only and checked before a row is read.
///
/// The file may come from anyone: it is opened without write access, with triggers off and an
/// untrusted schema, and refused unless its tables, views and indexes are exactly those of its
/// schema version and every run's rows fit together. Nothing is ever written to it.
public struct MergeSource {
    /// The file's path as given.
    public let path: String
    /// Its schema version.
    let version: Int
    /// How it was opened (read-only, or immutable on a read-only file system).
    let mode: Database.Mode

    /// Opens and checks the file at `path`; a newer, foreign or altered file is refused.
    public static func open(_ path: String) throws(TrackerError) -> MergeSource {
        do {
            let db = try ReadableFile.open(path, writing: false)
            // The version, the schema and every run are read now, before the target is opened (and
            // perhaps upgraded), in one read transaction: a run still training there is seen as of
            // one moment, and another gradlog upgrading the file between the version and the schema
            // cannot make it look altered.
            let version = try db.transaction { () throws -> Int in
                let version = try Store.migrator.checkCompatible(db)
                guard version > 0 else {
                    throw TrackerError.unreadableFile(path: path, reason: .notGradlog)
                }
                try SchemaCheck.verify(db, version: version, strictness: .exact, path: path)
                for id in try db.column(Int64.self, "SELECT id FROM runs ORDER BY id") {
                    try RunConsistency.check(id, in: db, schemaName: "main", path: path)
                    try RunFingerprint.checkArrival(id, in: db, schemaName: "main", path: path)
                }
                return version
            }
            return MergeSource(path: path, version: version, mode: db.mode)
        } catch TrackerError.noDatabase {
            throw .unreadableFile(path: path, reason: .noSuchFile)
        } catch {
            throw Store.wrap(error, path: path)
        }
    }

    /// Attaches the source to `store`'s connection as schema `other`, read-only, and runs `body`.
    ///
    /// A source of the current schema is attached as it is; an older one is first copied beside the
    /// target database and upgraded there (never in the user's file, nor in a temporary directory
    /// that fills up unseen). Copies left by a merge that was killed are removed first.
    func attached<T>(to store: Store, _ body: () throws -> T) throws -> T {
        let target = store.path == ":memory:" ? "./memory.db" : store.path
        SideFile.removeLeftovers(besideDatabase: target, kind: "merge")
        var copy: SideFile?
        defer { copy?.remove() }
        var uri = Database.uri(forPath: path) + mode.uriParameters
        if version < Store.migrator.latestVersion {
            let working = SideFile(besideDatabase: target, kind: "merge")
            copy = working
            try Database(path: path, mode: mode).backup(to: working.path)
            _ = try Store(path: working.path, access: .write)  // upgrades the copy; marks dead runs crashed
            uri = Database.uri(forPath: working.path) + Database.Mode.readOnly.uriParameters
        }
        try store.db.run("ATTACH DATABASE ? AS other", [.text(uri)])
        defer { try? store.db.execute("DETACH DATABASE other") }
        // Checked again as attached: the file could have been swapped since it was opened.
        try SchemaCheck.verify(store.db, schemaName: "other", version: Store.migrator.latestVersion,
                               strictness: .exact, path: path)
        return try body()
    }
}

