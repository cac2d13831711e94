import SQLiteDB

/// What the web app's run page reads beyond the reports: each by the keys of its tables, so that
/// the page of a long run reads no more than it shows.
extension RunCatalog {
    /// The epochs the run was started to train (`runs.epochs`), nil when there is no such run.
    public func plannedEpochs(of runID: Int64) throws(TrackerError) -> Int64? {
        try store.attempt { try store.db.scalar("SELECT epochs FROM runs WHERE id = ?", [.integer(runID)])?.int64Value }
    }

    /// Whether the run was logged from outside (`gradlog log`, the Python client), whose epochs
    /// have no accuracy unless it gave one: a NULL there is unknown rather than NaN.
    public func isExternal(_ runID: Int64) throws(TrackerError) -> Bool {
        try store.attempt { try store.db.scalar("SELECT source FROM runs WHERE id = ?", [.integer(runID)]) == "external" }
    }

    /// The run's last epoch that has its row in `epochs` (an epoch still open has none yet), 0
    /// when none has, found by the key.
    public func lastClosedEpoch(of runID: Int64) throws(TrackerError) -> Int64 {
        try store.attempt {
            try store.db.scalar("SELECT epoch FROM epochs WHERE run_id = ? ORDER BY epoch DESC LIMIT 1", [.integer(runID)])?.int64Value ?? 0
        }
    }

    /// The steps of the epochs `epochs` (the first step of the first through the last step of the
    /// last that were logged), nil when none of them was.
    public func steps(ofEpochs epochs: ClosedRange<Int64>, of runID: Int64) throws(TrackerError) -> ClosedRange<Int64>? {
        try store.attempt {
            let row = try store.db.namedRows(
                "SELECT min(first_step) AS first, max(last_step) AS last FROM epochs WHERE run_id = ? AND epoch BETWEEN ? AND ?",
                [.integer(runID), .integer(epochs.lowerBound), .integer(epochs.upperBound)]).first
            guard let first: Int64 = try row?["first"], let last: Int64 = try row?["last"], first <= last else { return nil }
            return first...last
        }
    }

    /// One row per layer of a network: its units and parameters, and the gradient checks of the
    /// run's latest epoch in it (as `gradlog report --layers` gives them for that epoch). Empty for
    /// a run of one layer (the single neuron).
    public func layerSummary(of runID: Int64) throws(TrackerError) -> Table {
        let table = try query("""
            WITH last AS (
                SELECT epoch, first_step, last_step FROM epochs WHERE run_id = ?1 ORDER BY epoch DESC LIMIT 1
            ), checks AS (
                SELECT p.layer, count(g.passed) AS checks,
                       CASE WHEN count(g.abs_error) = count(g.passed) THEN max(g.abs_error) END AS worst_abs_error,
                       CASE WHEN count(g.rel_error) = count(g.passed) THEN max(g.rel_error) END AS worst_rel_error,
                       count(CASE WHEN g.passed = 0 THEN 1 END) AS failed_checks
                FROM last
                JOIN gradients AS g ON g.run_id = ?1 AND g.step BETWEEN last.first_step AND last.last_step
                JOIN params AS p ON p.run_id = ?1 AND p.param = g.param
                GROUP BY p.layer
            )
            SELECT p.layer, count(DISTINCT p.unit) AS units, count(*) AS parameters, (SELECT epoch FROM last) AS epoch,
                   c.checks, c.worst_abs_error, c.worst_rel_error, c.failed_checks
            FROM params AS p LEFT JOIN checks AS c ON c.layer = p.layer
            WHERE p.run_id = ?1
            GROUP BY p.layer
            ORDER BY p.layer
            """, [.integer(runID)])
        return table.rows.count > 1 ? table : Table(columns: table.columns, rows: [])
    }
}
