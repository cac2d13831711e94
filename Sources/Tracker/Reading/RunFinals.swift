import SQLiteDB

/// Fills in the final figures of a run whose process died, from what it logged: each parameter
/// after its last logged update, the row of the epoch it was in, the blocks of steps and of epochs
/// after the last one written, and the last epoch's mean loss and accuracy.
enum RunFinals {
    /// Completes run `runID` in the main schema of `db`.
    static func complete(_ runID: Int64, in db: Database) throws {
        try db.run(
            """
            UPDATE params SET final =
                (SELECT u.after FROM param_updates AS u
                  WHERE u.run_id = ?1 AND u.param = params.param
                    AND u.step = (SELECT max(step) FROM steps WHERE run_id = ?1))
            WHERE run_id = ?1
            """, [.integer(runID)])
        let written = try db.scalar("SELECT coalesce(max(epoch), 0) FROM epochs WHERE run_id = ?", [.integer(runID)])
        try EpochRebuilder.rebuild(runID, in: db, afterEpoch: Int(written?.int64Value ?? 0))
        try GradientBlocks.complete(runID, in: db)
        try EpochBlocks.complete(runID, in: db)
        try recordLossAndAccuracy(runID, in: db)
    }

    /// Sets `runs.final_loss` and `final_accuracy` from the run's last `epochs` row.
    static func recordLossAndAccuracy(_ runID: Int64, in db: Database) throws {
        try db.run(
            """
            UPDATE runs SET (final_loss, final_accuracy) =
                (SELECT mean_loss, accuracy FROM epochs WHERE run_id = ?1 ORDER BY epoch DESC LIMIT 1)
            WHERE id = ?1
            """, [.integer(runID)])
    }
}
