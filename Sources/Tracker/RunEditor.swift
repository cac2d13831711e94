import SQLiteDB

/// Changes to runs after the fact: deleting, tagging, annotating, and giving space back.
public struct RunEditor {
    /// The database to change.
    public let store: Store

    /// Creates an editor over a store.
    public init(store: Store) {
        self.store = store
    }

    /// Deletes the runs with all their rows (foreign keys cascade), in one transaction, and returns
    /// what went: id, name, status, steps. With `dryRun`, returns the same and deletes nothing.
    public func remove(_ ids: [Int64], dryRun: Bool) throws(TrackerError) -> Table {
        let removed = try store.attempt {
            try store.db.transaction(.immediate) {
                let list = ids.map { _ in "?" }.joined(separator: ", ")
                let parameters = ids.map { SQLiteValue.integer($0) }
                let doomed = try store.db.rows(
                    "SELECT id, name, status, step_count AS steps FROM runs WHERE id IN (\(list)) ORDER BY id", parameters)
                if !dryRun {
                    try store.db.run("DELETE FROM runs WHERE id IN (\(list))", parameters)
                }
                return Table(columns: ["id", "name", "status", "steps"], rows: doomed)
            }
        }
        // Gives the freed pages back to the file system when the file uses incremental vacuum.
        if !dryRun { try? store.db.execute("PRAGMA incremental_vacuum") }
        return removed
    }

    /// Sets tags on a run (replacing a tag of the same key) and removes the keys in `removing`.
    public func tag(_ runID: Int64, set tags: [(key: String, value: String)], removing: [String]) throws(TrackerError) {
        try store.attempt {
            try store.db.transaction(.immediate) {
                for tag in tags {
                    try store.db.run("INSERT OR REPLACE INTO tags(run_id, key, value) VALUES (?, ?, ?)",
                                     [.integer(runID), .text(tag.key), .text(tag.value)])
                }
                for key in removing {
                    try store.db.run("DELETE FROM tags WHERE run_id = ? AND key = ?", [.integer(runID), .text(key)])
                }
            }
        }
    }

    /// Replaces a run's note.
    public func note(_ runID: Int64, _ text: String) throws(TrackerError) {
        try store.attempt {
            try store.db.run("UPDATE runs SET note = ? WHERE id = ?", [.text(text), .integer(runID)])
        }
    }

    /// Rebuilds the file without free pages, switching it to incremental auto-vacuum so that later
    /// deletions give space back on their own; returns the file's size before and after, in bytes.
    public func vacuum() throws(TrackerError) -> (before: Int64, after: Int64) {
        try store.attempt {
            let before = try fileSize()
            try store.db.execute("PRAGMA auto_vacuum = INCREMENTAL; VACUUM; PRAGMA wal_checkpoint(TRUNCATE)")
            return (before, try fileSize())
        }
    }

    private func fileSize() throws -> Int64 {
        let pages = try store.db.scalar("PRAGMA page_count")?.int64Value ?? 0
        let size = try store.db.scalar("PRAGMA page_size")?.int64Value ?? 0
        return pages * size
    }
}
