import SQLiteDB

/// A run's fingerprint (`runs.fingerprint`): the SHA-256 of its configuration, samples and every
/// step's rows (steps, gradients, metrics) in a canonical byte form, documented in docs/database.md.
///
/// The recorder keeps it up to date as it writes (`RunRecorder`), so that the digest in a run's row
/// is always that of its rows as committed with it; this computes it from stored rows, for the
/// migration's backfill, `verify`, and the check of runs arriving by `merge` and `pull`.
public enum RunFingerprint {
    /// The SQLite schema version that adds `runs.fingerprint` (its migration's number; its backfill's key).
    public static let sqliteVersion = 10
    /// The PostgreSQL store's schema version that adds `runs.fingerprint`.
    public static let postgresVersion = 4

    /// The fingerprint of run `id` in schema `schemaName` (`main`, or an attached `other`), from its stored rows.
    static func compute(_ id: Int64, in db: Database, schemaName: String = "main") throws -> String {
        let s = "\"\(schemaName)\""
        let hasher = FingerprintHasher()
        try hashHead(id, in: db, schema: s, into: hasher)
        try hashSteps(id, in: db, schema: s, into: hasher)
        return hasher.hexDigest()
    }

    /// What comes before the steps: the run's configuration, its samples, then their inputs.
    static func hashHead(_ id: Int64, in db: Database, schema s: String = "\"main\"", into hasher: FingerprintHasher) throws {
        hasher.tag(.config)
        hasher.value(try db.scalar("SELECT config FROM \(s).runs WHERE id = ?", [.integer(id)]) ?? .null)
        try each(db, "SELECT sample, y FROM \(s).samples WHERE run_id = ? ORDER BY sample", id) { row in
            hasher.tag(.sample)
            hasher.value(row.value(at: 0))
            hasher.value(row.value(at: 1))
        }
        try each(db, "SELECT sample, input, x FROM \(s).sample_inputs WHERE run_id = ? ORDER BY sample, input", id) { row in
            hasher.tag(.sampleInput)
            for column in 0..<3 { hasher.value(row.value(at: Int32(column))) }
        }
    }

    /// The rows of every step in step order: its `steps` row, then its gradients by parameter name,
    /// then its metrics by name (names in byte order, SQLite's BINARY collation).
    private static func hashSteps(_ id: Int64, in db: Database, schema s: String, into hasher: FingerprintHasher) throws {
        let queries: [(FingerprintHasher.Tag, String)] = [
            (.step, "SELECT step, epoch, batch_size, loss FROM \(s).steps WHERE run_id = ? ORDER BY step"),
            (.gradient, "SELECT step, param, value, analytic, numeric, passed, autodiff FROM \(s).gradients WHERE run_id = ? ORDER BY step, param"),
            (.metric, "SELECT step, name, value FROM \(s).step_metrics WHERE run_id = ? ORDER BY step, name"),
        ]
        var cursors: [Cursor] = []
        for (tag, sql) in queries { cursors.append(try Cursor(tag: tag, statement: try db.prepare(sql), id: id)) }
        for cursor in cursors { try cursor.advance() }
        // A three-way merge by step: at each step, its step row, gradients, then metrics.
        while let step = cursors.compactMap({ $0.step }).min() {
            for cursor in cursors {
                while cursor.step == step {
                    hasher.tag(cursor.tag)
                    // A gradient or metric row without its step, which the step row before it gives.
                    let first: Int32 = cursor.tag == .step ? 0 : 1
                    for column in first..<cursor.statement.columnCount { hasher.value(cursor.statement.value(at: column)) }
                    try cursor.advance()
                }
            }
        }
    }

    /// One ordered query's place: the step of its current row, nil once it is done.
    private final class Cursor {
        let tag: FingerprintHasher.Tag
        let statement: Statement
        var step: Int64?

        init(tag: FingerprintHasher.Tag, statement: Statement, id: Int64) throws {
            self.tag = tag
            self.statement = statement
            try statement.bind(id, at: 1)
        }

        func advance() throws {
            step = try statement.step() ? statement.int64(at: 0) : nil
        }
    }

    /// Runs `sql` with the run's id and calls `body` with each row.
    private static func each(_ db: Database, _ sql: String, _ id: Int64, _ body: (Statement) -> Void) throws {
        let statement = try db.prepare(sql)
        try statement.bind(id, at: 1)
        while try statement.step() { body(statement) }
    }

    /// Fills in the fingerprint of every run of the file from its rows: the migration's backfill.
    static func backfill(_ db: Database) throws {
        for id in try db.column(Int64.self, "SELECT id FROM runs ORDER BY id") {
            try db.run("UPDATE runs SET fingerprint = ? WHERE id = ?", [.text(try compute(id, in: db)), .integer(id)])
        }
    }

    /// Throws `.inconsistentRun(…, .fingerprint)` when run `id` of a file arriving by merge or pull
    /// has a fingerprint its rows do not hash to; a file before schema v10, or a run without one
    /// (pushed before the store had them), has nothing to check.
    static func checkArrival(_ id: Int64, in db: Database, schemaName: String, path: String) throws {
        let s = "\"\(schemaName)\""
        let hasColumn = try db.scalar("SELECT count(*) FROM pragma_table_info('runs', ?) WHERE name = 'fingerprint'",
                                      [.text(schemaName)]) == .integer(1)
        guard hasColumn, case .text(let stored)? = try db.scalar("SELECT fingerprint FROM \(s).runs WHERE id = ?", [.integer(id)])
        else { return }
        let computed = try compute(id, in: db, schemaName: schemaName)
        if computed != stored {
            throw TrackerError.inconsistentRun(path: path, runID: id, problem: .fingerprint(stored: stored, computed: computed))
        }
    }

    /// Stores the fingerprint of run `id` here when it arrived without one (from a store's run
    /// pushed before the store had them), computed from the rows just copied.
    static func fillIfMissing(_ id: Int64, in db: Database) throws {
        guard try db.scalar("SELECT fingerprint IS NULL FROM main.runs WHERE id = ?", [.integer(id)]) == .integer(1) else { return }
        try db.run("UPDATE main.runs SET fingerprint = ? WHERE id = ?", [.text(try compute(id, in: db)), .integer(id)])
    }
}
