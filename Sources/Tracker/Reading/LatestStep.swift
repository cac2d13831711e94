import SQLiteDB

/// A run's last logged step as its rows hold it, for a progress line.
public struct LatestStep: Equatable, Sendable {
    /// The step's number (with gaps in the numbering, not the number of steps).
    public let step: Int
    /// The step's epoch.
    public let epoch: Int
    /// The step's loss (NaN when it was not a number).
    public let loss: Double
    /// The largest relative gradient-check error as of the run's last commit: NaN once a check was
    /// NaN, nil before the first check.
    public let worstRelativeError: Double?
    /// Seconds from the run's `started_at` to now, by the wall clock.
    public let secondsSinceStart: Double

    /// Creates a latest step.
    public init(step: Int, epoch: Int, loss: Double, worstRelativeError: Double?, secondsSinceStart: Double) {
        self.step = step
        self.epoch = epoch
        self.loss = loss
        self.worstRelativeError = worstRelativeError
        self.secondsSinceStart = secondsSinceStart
    }

    /// Step numbers per second since the run started, as `gradlog runs` counts them (0 at its start).
    public var stepsPerSecond: Double {
        secondsSinceStart > 0 ? Double(step) / secondsSinceStart : 0
    }
}

extension RunCatalog {
    /// The run's last step, through the connection that may be writing it (so also a step not yet
    /// committed), found by the primary key of `steps`; nil before its first step.
    public func latestStep(of runID: Int64) throws(TrackerError) -> LatestStep? {
        try store.attempt {
            guard let row = try store.db.namedRows(
                """
                SELECT steps.step, steps.epoch, steps.loss, runs.worst_rel_error AS worst, runs.failed_checks AS failed,
                       (julianday('now') - julianday(runs.started_at)) * 86400.0 AS seconds
                FROM steps JOIN runs ON runs.id = steps.run_id
                WHERE steps.run_id = ?1 ORDER BY steps.step DESC LIMIT 1
                """, [.integer(runID)]).first else { return nil }
            let worst: Double? = try row["worst"], failed: Int64? = try row["failed"]
            let loss: Double? = try row["loss"]
            let step: Int64 = try row["step"], epoch: Int64 = try row["epoch"], seconds: Double? = try row["seconds"]
            // A NULL worst error is a NaN check once a check failed (a NaN never passes), else no check yet.
            return LatestStep(step: Int(step), epoch: Int(epoch), loss: loss ?? .nan,
                              worstRelativeError: worst ?? ((failed ?? 0) > 0 ? .nan : nil), secondsSinceStart: seconds ?? 0)
        }
    }
}
