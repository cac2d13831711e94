#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SQLiteDB

/// Copies runs from another gradlog database into this one: `gradlog merge OTHER.db`.
public enum RunMerger {
    /// The tables that hold a run's rows besides `runs`, in an order that respects foreign keys.
    static let runTables = ["tags", "params", "samples", "sample_inputs", "steps", "gradients"]

    /// Copies every run of `otherPath` whose uuid this database lacks, with all of its rows, in one
    /// transaction, and returns what was copied: uuid, its id there, its new id here, name, status
    /// and steps. The other file is only read; an older one is upgraded in a temporary copy, a
    /// newer one is refused.
    public static func merge(from otherPath: String, into store: Store) throws(TrackerError) -> Table {
        let snapshot = try readableSnapshot(of: otherPath)
        defer { for suffix in ["", "-wal", "-shm"] { unlink(snapshot + suffix) } }
        _ = try Store(path: snapshot)  // migrates the copy to this schema and sweeps crashed runs
        return try store.attempt {
            try store.db.run("ATTACH DATABASE ? AS other", [.text(snapshot)])
            defer { try? store.db.execute("DETACH DATABASE other") }
            return try store.db.transaction(.immediate) { try copyMissingRuns(store.db) }
        }
    }

    /// A consistent copy of the other database (write-ahead log included) in a temporary file,
    /// after refusing one that is missing, not gradlog's, or newer than this program.
    private static func readableSnapshot(of path: String) throws(TrackerError) -> String {
        var status = stat()
        guard stat(path, &status) == 0 else { throw .unreadableFile(path: path, reason: "no such file") }
        let snapshot = temporaryPath()
        do {
            let other = try Database(path: path, mode: .readOnly)
            try Store.migrator.checkCompatible(other)
            guard try Store.migrator.appliedVersion(of: other) > 0 else {
                throw TrackerError.unreadableFile(path: path, reason: "it is not a gradlog database (it has no runs table)")
            }
            try other.backup(to: snapshot)
        } catch {
            throw Store.wrap(error, path: path)
        }
        return snapshot
    }

    private static func temporaryPath() -> String {
        let directory = getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
        return "\(directory)/gradlog-merge-\(getpid())-\(RandomUUID.make()).db"
    }

    private static func copyMissingRuns(_ db: Database) throws -> Table {
        let runColumns = try columns(of: "runs", in: db).filter { $0 != "id" }
        let missing = try db.rows(
            """
            SELECT id, uuid, name, status, step_count FROM other.runs
            WHERE uuid NOT IN (SELECT uuid FROM main.runs) ORDER BY id
            """)
        var copied: [[SQLiteValue]] = []
        for run in missing {
            let list = runColumns.joined(separator: ", ")
            try db.run("INSERT INTO main.runs (\(list)) SELECT \(list) FROM other.runs WHERE id = ?", [run[0]])
            let newID = db.lastInsertRowID
            for table in runTables {
                let rest = try columns(of: table, in: db).filter { $0 != "run_id" }.joined(separator: ", ")
                try db.run(
                    "INSERT INTO main.\(table) (run_id, \(rest)) SELECT ?, \(rest) FROM other.\(table) WHERE run_id = ?",
                    [.integer(newID), run[0]])
            }
            copied.append([run[1], run[0], .integer(newID), run[2], run[3], run[4]])
        }
        return Table(columns: ["uuid", "from_id", "id", "name", "status", "steps"], rows: copied)
    }

    /// The stored (not generated) columns of a table, as this database defines it.
    private static func columns(of table: String, in db: Database) throws -> [String] {
        try db.rows("SELECT name FROM pragma_table_info(?, 'main')", [.text(table)]).compactMap { $0[0].stringValue }
    }
}
