import SQLiteDB
import Training

/// Inserts `epochs` rows for one run through one prepared statement.
struct EpochWriter {
    private let insert: Statement

    /// Prepares the insert on `db`'s main schema, bound to run `runID`.
    init(_ db: Database, runID: Int64) throws {
        insert = try db.prepare(
            """
            INSERT INTO epochs(run_id, epoch, steps, last_step, mean_loss, accuracy, worst_abs_error,
                               worst_rel_error, failed_checks)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
            """)
        try insert.bind(runID, at: 1)
    }

    /// Writes one epoch's row.
    func write(_ summary: EpochSummary) throws {
        try insert.bind(summary.epoch, at: 2)
        try insert.bind(summary.steps, at: 3)
        try insert.bind(summary.lastStep, at: 4)
        try Measured.bind(summary.meanLoss, to: insert, at: 5)
        try Measured.bind(summary.accuracy, to: insert, at: 6)
        try Measured.bind(summary.worstAbsError, to: insert, at: 7)
        try Measured.bind(summary.worstRelError, to: insert, at: 8)
        try insert.bind(summary.failedChecks, at: 9)
        try insert.run()
    }
}
