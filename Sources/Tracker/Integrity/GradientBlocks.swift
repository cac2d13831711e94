import SQLiteDB

/// A run's `gradient_blocks` rows, each the summary of one parameter over `size` consecutive step
/// numbers, defined here in SQL over the gradient rows: written so for the migration, a killed
/// run's last blocks and merged runs, and the measure `verify` holds every stored block to (a live
/// run counts its blocks in memory, `BlockWriter`).
struct GradientBlocks {
    /// Step numbers per block: step s is in block (s - 1) / size.
    static let size: Int64 = 256

    /// The block that holds `step`.
    static func block(of step: Int64) -> Int64 { (step - 1) / size }

    private let write: Statement

    /// Prepares the write on `db`'s main schema for run `runID`.
    init(_ db: Database, runID: Int64) throws {
        write = try db.prepare("INSERT OR REPLACE INTO gradient_blocks " + Self.blockSummary)
        try write.bind(runID, at: 1)
    }

    /// Writes (or rewrites) block `block` from the run's gradient rows; a block without rows gets none.
    func write(_ block: Int64) throws {
        try write.bind(block, at: 2)
        try write.run()
    }

    /// The rows of block `?2` of run `?1`, summarised from its gradient rows.
    static let blockSummary = summary(schema: "main")
        + " AND step BETWEEN ?2 * \(size) + 1 AND ?2 * \(size) + \(size) GROUP BY 2, param"

    /// The SELECT that summarises run `?1`'s gradient rows of schema `schema` per block and
    /// parameter, in the table's column order, open for more conditions and its `GROUP BY 2, param`.
    static func summary(schema: String) -> String {
        "SELECT run_id, (step - 1) / \(size), param, min(step), max(step), \(ranges(of: "value", when: "1")), "
            + "count(passed), \(ranges(of: "rel_error", when: "passed IS NOT NULL")) "
            + "FROM \(schema).gradients WHERE run_id = ?1"
    }

    /// Lowest and highest finite value, then the counts of NULL (NaN), +Inf and -Inf, among the
    /// rows where `when` holds; `infinity` is +Inf in the SQL's dialect (9e999 is SQLite's).
    static func ranges(of column: String, when: String, infinity: String = "9e999") -> String {
        let finite = "\(when) AND abs(\(column)) < \(infinity)"
        return "min(CASE WHEN \(finite) THEN \(column) END), max(CASE WHEN \(finite) THEN \(column) END), "
            + "count(CASE WHEN \(when) AND \(column) IS NULL THEN 1 END), "
            + "count(CASE WHEN \(when) AND \(column) = \(infinity) THEN 1 END), "
            + "count(CASE WHEN \(when) AND \(column) = -\(infinity) THEN 1 END)"
    }

    /// Writes every block of run `runID` after the last one stored (all of them for a run without
    /// any): for the migration, and for the steps of a killed run after its last written block.
    /// One block at a time, so that each summary sorts a block's rows, not the run's.
    static func complete(_ runID: Int64, in db: Database) throws {
        let stored = try db.scalar("SELECT max(block) FROM gradient_blocks WHERE run_id = ?", [.integer(runID)])
        let writer = try GradientBlocks(db, runID: runID)
        // After a block number edited to Int64.max there is no later block, and none is looked for.
        for block in try blocksWithRows(of: runID, from: stored?.int64Value.map { min($0, .max - 1) + 1 } ?? 0, in: db) {
            try writer.write(block)
        }
    }

    /// The blocks from `first` on that hold gradient rows of run `runID`, in order, each found by
    /// one seek from the end of the one before: a run logged from outside may number its steps 1
    /// and 2^63 - 1, and counting through the 2^55 blocks between them never ended.
    private static func blocksWithRows(of runID: Int64, from first: Int64, in db: Database) throws -> [Int64] {
        let next = try db.prepare("SELECT min(step) FROM gradients WHERE run_id = ?1 AND step > ?2")
        try next.bind(runID, at: 1)
        var blocks: [Int64] = []
        // The step before block `first`; past Int64.max there is no block `first`.
        var (after, past) = first.multipliedReportingOverflow(by: size)
        while !past {
            try next.bind(after, at: 2)
            defer { next.reset() }
            guard try next.step(), let step = next.value(at: 0).int64Value else { break }
            let found = block(of: step)
            blocks.append(found)
            // The block's last step; past Int64.max there is no next block.
            (after, past) = (found + 1).multipliedReportingOverflow(by: size)
        }
        return blocks
    }

    /// The first block whose stored rows differ from the run's gradient rows (a row missing, added
    /// or changed), nil when all agree.
    static func firstDisagreement(_ runID: Int64, in db: Database) throws -> Int64? {
        let computed = blockSummary
        let stored = "SELECT * FROM gradient_blocks WHERE run_id = ?1 AND block = ?2"
        let differences = try db.prepare(
            "SELECT (SELECT count(*) FROM (\(computed) EXCEPT \(stored))) + (SELECT count(*) FROM (\(stored) EXCEPT \(computed)))")
        try differences.bind(runID, at: 1)
        let storedBlocks = try db.column(Int64.self, "SELECT DISTINCT block FROM gradient_blocks WHERE run_id = ?", [.integer(runID)])
        for block in Set(try blocksWithRows(of: runID, from: 0, in: db) + storedBlocks).sorted() {
            try differences.bind(block, at: 2)
            guard try differences.step(), differences.int64(at: 0) == 0 else { return block }
            differences.reset()
        }
        return nil
    }
}
