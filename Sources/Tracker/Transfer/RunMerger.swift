import SQLiteDB

/// Copies runs from another gradlog database into this one: `gradlog merge OTHER.db`.
public enum RunMerger {
    /// The tables that hold a run's rows besides `runs`, in an order that respects foreign keys:
    /// those push and pull carry, but for the summaries (`gradient_blocks`, `epoch_blocks`), which a
    /// merge computes from the rows.
    static let runTables = TransferTable.all.map(\.name).filter { !TransferTable.summaries.contains($0) }

    /// Opens and checks `otherPath`, then merges it (see `merge(_:into:)`).
    public static func merge(from otherPath: String, into store: Store) throws(TrackerError) -> [TransferOutcome] {
        try merge(try MergeSource.open(otherPath), into: store)
    }

    /// Copies every run of `source` that this database lacks, with all of its rows, in one
    /// transaction, and returns one row per run it acted on: `copied`; `completed` (this database
    /// held an earlier, shorter copy of a run that has since ended there); `skipped` (still
    /// training there: merge again once it ends); or `refused` (this database holds another run
    /// of the same uuid, finished or not a prefix of the source's: both are left as they are). `MergeSource.open` checked every run's
    /// consistency already: one that failed refused the whole merge before this database was opened.
    public static func merge(_ source: MergeSource, into store: Store) throws(TrackerError) -> [TransferOutcome] {
        try store.attempt {
            try source.attached(to: store) {
                let dead = Set(try CrashSweep.deadRuns(store.db, schemaName: "other", me: .current).map(\.id))
                return try store.db.transaction(.immediate) {
                    try copyRuns(store.db, deadInSource: dead)
                }
            }
        }
    }

    private static func copyRuns(_ db: Database, deadInSource: Set<Int64>) throws -> [TransferOutcome] {
        let candidates = try db.namedRows(
            """
            SELECT o.id AS from_id, o.uuid, o.name, o.status, o.step_count AS steps, m.id AS id
            FROM other.runs AS o LEFT JOIN main.runs AS m ON m.uuid = o.uuid
            WHERE m.id IS NULL OR (m.step_count < o.step_count AND m.status <> 'running')
            ORDER BY o.id
            """)
        var outcomes: [TransferOutcome] = []
        for run in candidates {
            let sourceID: Int64 = try run["from_id"], existing: Int64? = try run["id"], runStatus: String = try run["status"]
            let (uuid, name, steps): (String, String, Int64) = try (run["uuid"], run["name"], run["steps"])
            func outcome(_ action: TransferAction, _ id: Int64?, status: String? = nil) -> TransferOutcome {
                TransferOutcome(action: action, uuid: uuid, sourceID: sourceID, targetID: id, name: name,
                                status: status ?? runStatus, steps: steps, rows: nil)
            }
            let live = runStatus == RunStatus.running.rawValue && !deadInSource.contains(sourceID)
            if live {
                outcomes.append(outcome(.skipped, existing))
                continue
            }
            if let existing, try !isPrefix(existing, of: sourceID, in: db) {
                outcomes.append(outcome(.refused, existing))
                continue
            }
            let id = try existing.map { try replaceRun($0, from: sourceID, in: db) } ?? insertRun(from: sourceID, in: db)
            var status: String?
            if deadInSource.contains(sourceID) {
                let message = "its process ended without finishing the run (found when merging from another database)"
                _ = try CrashSweep.mark(.init(id: id, message: message), in: db)
                status = RunStatus.crashed.rawValue
            }
            outcomes.append(outcome(existing == nil ? .copied : .completed, id, status: status))
        }
        return outcomes
    }

    /// True when this database's run `id` may be completed from the source's run `sourceID` of the
    /// same uuid: it did not finish here, and it is the same run cut shorter — the same settings and
    /// parameters, and every step, gradient and metric it holds the same as the source's. Anything
    /// else is another run under the same uuid (a file edited by hand), which must never replace it.
    static func isPrefix(_ id: Int64, of sourceID: Int64, in db: Database) throws -> Bool {
        guard try db.scalar("SELECT status FROM main.runs WHERE id = ?", [.integer(id)]) != .text(RunStatus.finished.rawValue)
        else { return false }
        let comparisons = [
            ("runs", "id", "config, source, dataset, loss, lr, epochs, batch_size, seed, eps, atol, rtol, check_every, autodiff, fault"),
            ("params", "run_id", "param, position, initial"),
            ("steps", "run_id", "step, epoch, batch_size, loss"),
            ("gradients", "run_id", "step, param, value, analytic, numeric, passed, autodiff"),
            ("step_metrics", "run_id", "step, name, value"),
        ]
        for (table, key, columns) in comparisons {
            // Rows here that the source lacks, compared value for value (EXCEPT takes NULLs as equal).
            let extra = try db.scalar(
                "SELECT EXISTS (SELECT \(columns) FROM main.\(table) WHERE \(key) = ?1 EXCEPT "
                    + "SELECT \(columns) FROM other.\(table) WHERE \(key) = ?2)", [.integer(id), .integer(sourceID)])
            if extra != .integer(0) { return false }
        }
        return true
    }

    private static func insertRun(from sourceID: Int64, in db: Database) throws -> Int64 {
        let list = try storedColumns(of: "runs", in: db).filter { $0 != "id" }.joined(separator: ", ")
        try db.run("INSERT INTO main.runs (\(list)) SELECT \(list) FROM other.runs WHERE id = ?", [.integer(sourceID)])
        let id = db.lastInsertRowID
        try copyChildren(from: sourceID, to: id, in: db, tables: runTables)
        // Computed here rather than copied: what charts read then agrees with the copied rows.
        try TransferTable.completeSummaries(of: id, in: db)
        try RunFingerprint.fillIfMissing(id, in: db)
        return id
    }

    /// Brings this database's shorter copy of a run up to the source's: its row (keeping a local
    /// note) and every logged row; local tags are kept, the source's added.
    private static func replaceRun(_ id: Int64, from sourceID: Int64, in db: Database) throws -> Int64 {
        let columns = try storedColumns(of: "runs", in: db).filter { $0 != "id" && $0 != "note" }
        let assignments = columns.map { "\($0) = o.\($0)" }.joined(separator: ", ")
        try db.run(
            """
            UPDATE main.runs SET \(assignments), note = CASE WHEN main.runs.note = '' THEN o.note ELSE main.runs.note END
            FROM (SELECT * FROM other.runs WHERE id = ?2) AS o WHERE main.runs.id = ?1
            """, [.integer(id), .integer(sourceID)])
        for table in TransferTable.summaries.sorted() + runTables.reversed() where table != "tags" {
            try db.run("DELETE FROM main.\(table) WHERE run_id = ?", [.integer(id)])
        }
        try copyChildren(from: sourceID, to: id, in: db, tables: runTables)
        try TransferTable.completeSummaries(of: id, in: db)
        try RunFingerprint.fillIfMissing(id, in: db)
        return id
    }

    private static func copyChildren(from sourceID: Int64, to id: Int64, in db: Database, tables: [String]) throws {
        for table in tables {
            let rest = try storedColumns(of: table, in: db).filter { $0 != "run_id" }.joined(separator: ", ")
            try db.run(
                "INSERT OR IGNORE INTO main.\(table) (run_id, \(rest)) SELECT ?, \(rest) FROM other.\(table) WHERE run_id = ?",
                [.integer(id), .integer(sourceID)])
        }
    }

    /// The stored (not generated) columns of a table, as this database defines it.
    private static func storedColumns(of table: String, in db: Database) throws -> [String] {
        try db.column(String.self, "SELECT name FROM pragma_table_info(?, 'main')", [.text(table)])
    }
}
