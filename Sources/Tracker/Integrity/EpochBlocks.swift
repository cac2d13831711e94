import SQLiteDB

/// A run's `epoch_blocks` rows, each the summary of `size` consecutive epoch numbers, defined here
/// in SQL over the `epochs` rows: written so for the migration, a killed run's last blocks and
/// merged runs, and the measure `verify` holds every stored block to (a live run counts its blocks
/// in memory, `EpochBlockWriter`).
struct EpochBlocks {
    /// Epoch numbers per block: epoch e is in block (e - 1) / size.
    static let size: Int64 = 256

    /// The `epochs` columns summarised, in the table's order: what the per-epoch charts draw.
    static let figures = ["mean_loss", "accuracy", "worst_rel_error"]

    /// The block that holds `epoch`.
    static func block(of epoch: Int64) -> Int64 { (epoch - 1) / size }

    private let write: Statement

    /// Prepares the write on `db`'s main schema for run `runID`.
    init(_ db: Database, runID: Int64) throws {
        write = try db.prepare("INSERT OR REPLACE INTO epoch_blocks " + Self.blockSummary)
        try write.bind(runID, at: 1)
    }

    /// Writes (or rewrites) block `block` from the run's epochs rows; a block without rows gets none.
    func write(_ block: Int64) throws {
        try write.bind(block, at: 2)
        try write.run()
    }

    /// The row of block `?2` of run `?1`, summarised from its epochs rows, in the table's column order.
    static let blockSummary = "SELECT run_id, (epoch - 1) / \(size), min(epoch), max(epoch), count(*), "
        + figures.map { GradientBlocks.ranges(of: $0, when: "1") }.joined(separator: ", ")
        + " FROM main.epochs WHERE run_id = ?1 AND epoch BETWEEN ?2 * \(size) + 1 AND ?2 * \(size) + \(size) GROUP BY 2"

    /// Writes every block of run `runID` from the last one stored on (all of them for a run
    /// without any): for the migration, a killed run's last epochs, and merged runs. The last
    /// stored block is written again, since epochs may have been added to it since. One block at
    /// a time, so that each summary sorts a block's rows, not the run's.
    static func complete(_ runID: Int64, in db: Database) throws {
        let stored = try db.scalar("SELECT max(block) FROM epoch_blocks WHERE run_id = ?", [.integer(runID)])?.int64Value ?? 0
        let writer = try EpochBlocks(db, runID: runID)
        for block in try blocks(of: runID, from: stored, in: db, includingStored: false) {
            try writer.write(block)
        }
    }

    /// The first block whose stored row differs from the run's epochs rows (missing, added or
    /// changed), nil when all agree.
    static func firstDisagreement(_ runID: Int64, in db: Database) throws -> Int64? {
        let computed = blockSummary
        let stored = "SELECT * FROM epoch_blocks WHERE run_id = ?1 AND block = ?2"
        let differences = try db.prepare(
            "SELECT (SELECT count(*) FROM (\(computed) EXCEPT \(stored))) + (SELECT count(*) FROM (\(stored) EXCEPT \(computed)))")
        try differences.bind(runID, at: 1)
        for block in try blocks(of: runID, from: 0, in: db, includingStored: true) {
            try differences.bind(block, at: 2)
            guard try differences.step(), differences.int64(at: 0) == 0 else { return block }
            differences.reset()
        }
        return nil
    }

    /// The blocks from `first` on that hold an epochs row of the run (and, `includingStored`,
    /// those with a stored summary), in order: only blocks that exist, however large an epoch
    /// number a file edited by hand holds.
    private static func blocks(of runID: Int64, from first: Int64, in db: Database, includingStored: Bool) throws -> [Int64] {
        let stored = includingStored ? " UNION SELECT block FROM epoch_blocks WHERE run_id = ?1 AND block >= ?2" : ""
        return try db.column(Int64.self, """
            SELECT DISTINCT (epoch - 1) / \(size) AS block FROM epochs WHERE run_id = ?1 AND epoch >= ?2 * \(size) + 1\(stored)
            ORDER BY block
            """, [.integer(runID), .integer(first)])
    }
}
