import SQLiteDB

/// Fills in a run's final figures from what it logged: the last epoch's mean loss and accuracy,
/// and, for a run whose process died, each parameter after its last logged update.
enum RunFinals {
    /// Sets `runs.final_loss` and `final_accuracy` from the `epochs` view's row for `runs.epoch_count`.
    ///
    /// The epoch is bound as a value: a reference to the outer row would keep SQLite from pushing
    /// the filter into the view, and it would compute every epoch of the run.
    static func recordLossAndAccuracy(_ db: Database, runID: Int64) throws {
        let epoch = try db.scalar("SELECT epoch_count FROM runs WHERE id = ?", [.integer(runID)]) ?? .null
        try db.run(
            """
            UPDATE runs SET (final_loss, final_accuracy) =
                (SELECT mean_loss, accuracy FROM epochs WHERE run_id = ?1 AND epoch = ?2)
            WHERE id = ?1
            """, [.integer(runID), epoch])
    }

    /// Sets `params.final` from the last logged step, for runs that could not record it themselves.
    static func recordParametersFromLastStep(_ db: Database, runID: Int64) throws {
        try db.run(
            """
            UPDATE params SET final =
                (SELECT coalesce(u.after, x'7FF8000000000000') FROM param_updates AS u
                  WHERE u.run_id = ?1 AND u.param = params.param
                    AND u.step = (SELECT max(step) FROM steps WHERE run_id = ?1))
            WHERE run_id = ?1
            """, [.integer(runID)])
    }
}
