import SQLiteDB

/// The figures of a run still training that `runs` and `show` add to its row: the loss of its
/// latest step and its rate, read from its row in `runs` and the last row of its `steps` (one
/// look-up by the primary key, never a scan), and empty for a run that is not `running`.
///
/// The rate is the run's average since it started: its last step number over the seconds from
/// `started_at` to `heartbeat_at`, the time of the commit that wrote that step number. The file
/// keeps only the latest commit's count and time, so a rate between two commits would need a
/// second reading, which a single `gradlog runs` does not have; the average also holds still
/// between redraws of `runs --watch` rather than jumping with the size of each commit's batch. It is
/// given from a tenth of a second after the start on (`shortestRatePeriod`).
enum ProgressColumns {
    /// The columns' names, in the order `selection` gives them.
    static let names = ["latest_loss", "steps_per_s"]

    /// The latest loss of a running run, as an expression in a query `FROM runs` (also a sort key).
    static let latestLossSQL = """
        CASE WHEN runs.status = 'running'
             THEN (SELECT loss FROM steps WHERE steps.run_id = runs.id ORDER BY steps.step DESC LIMIT 1)
        END
        """

    /// The shortest time from `started_at` to `heartbeat_at` that a rate is given for: a run commits
    /// its first step at once, and one step over a few milliseconds (timed to the millisecond) is
    /// noise, not a rate (`runs` showed 500 steps/s for a run going at 20,000).
    static let shortestRatePeriod = 0.1

    /// The average rate of a running run, as an expression in a query `FROM runs` (also a sort key).
    static let rateSQL = """
        CASE WHEN runs.status = 'running'
                  AND (julianday(runs.heartbeat_at) - julianday(runs.started_at)) * 86400.0 >= \(shortestRatePeriod)
             THEN runs.step_count / ((julianday(runs.heartbeat_at) - julianday(runs.started_at)) * 86400.0)
        END
        """

    /// SQL for the two columns, in a query `FROM runs`.
    static let selection = "\(latestLossSQL) AS latest_loss,\n\(rateSQL) AS steps_per_s"

    /// `row` as shown: without the figures when the run is not training after all (its process is
    /// gone, `crashed`), and with its rate rounded.
    static func shown(_ row: [SQLiteValue], columns: [String], crashed: Bool) -> [SQLiteValue] {
        var row = row
        for (index, name) in columns.enumerated() where names.contains(name) && index < row.count {
            if crashed {
                row[index] = .null
            } else if name == "steps_per_s", case .real(let rate) = row[index] {
                row[index] = .real(rounded(rate))
            }
        }
        return row
    }

    /// A rate as shown: whole steps from 100 steps/s on, three significant digits below (12.3, 0.0417).
    static func rounded(_ rate: Double) -> Double {
        guard rate.isFinite, rate > 0, rate < 100 else { return rate.isFinite ? rate.rounded() : rate }
        var scaled = rate
        var scale = 1.0
        // Powers of ten up to 10^22 are exact doubles, so the quotient is the nearest double to the digits.
        while scaled < 100 && scale < 1e22 {
            scaled *= 10
            scale *= 10
        }
        return scaled.rounded() / scale
    }
}
