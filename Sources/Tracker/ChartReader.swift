import SQLiteDB

/// Reads the points of a run's charts in x order, one at a time, so that a chart of any length
/// is reduced to its pixel columns as the rows come.
public struct ChartReader {
    /// What a one-line chart shows of a run (charts of every parameter use `pointsOfEveryParameter`).
    public enum Quantity: Sendable, Equatable {
        /// The loss: each epoch's mean loss, or each step's batch loss.
        case loss
        /// Each epoch's accuracy (per epoch only).
        case accuracy
    }

    /// The database to read.
    public let store: Store

    /// Creates a reader over a store.
    public init(store: Store) {
        self.store = store
    }

    /// The last epoch (or step) of a run: the right end of its x axis.
    public func extent(of runID: Int64, steps: Bool) throws(TrackerError) -> Int {
        let column = steps ? "step_count" : "epoch_count"
        return Int(try RunCatalog(store: store).query("SELECT \(column) FROM runs WHERE id = ?", [.integer(runID)])
            .rows.first?.first?.int64Value ?? 0)
    }

    /// Calls `point` with each (x, y) of `quantity` in increasing x; a stored NULL is NaN.
    public func points(_ quantity: Quantity, of runID: Int64, steps: Bool,
                       _ point: (Double, Double) -> Void) throws(TrackerError) {
        let (sql, values) = query(quantity, runID: runID, steps: steps)
        try store.attempt {
            let statement = try store.db.prepare(sql)
            try statement.bind(values)
            while try statement.step() {
                point(Double(statement.int64(at: 0)), Measured.number(statement.value(at: 1)) ?? .nan)
            }
        }
    }

    private func query(_ quantity: Quantity, runID: Int64, steps: Bool) -> (String, [SQLiteValue]) {
        let run = SQLiteValue.integer(runID)
        switch (quantity, steps) {
        case (.loss, false): return ("SELECT epoch, mean_loss FROM epochs WHERE run_id = ? ORDER BY epoch", [run])
        case (.loss, true): return ("SELECT step, loss FROM steps WHERE run_id = ? ORDER BY step", [run])
        case (.accuracy, _): return ("SELECT epoch, accuracy FROM epochs WHERE run_id = ? ORDER BY epoch", [run])
        }
    }

    /// Calls `point` with (parameter index, x, y) for every parameter of `names` at once, from one
    /// ordered scan of the run's gradient rows: each parameter's relative error at every checked
    /// step (`errors`), or its value before every step (`steps`) or at the end of every epoch.
    /// `names` must be the run's checked parameter names (`RunCatalog.parameterNames`).
    public func pointsOfEveryParameter(_ names: [String], of runID: Int64, errors: Bool, steps: Bool,
                                       _ point: (Int, Double, Double) -> Void) throws(TrackerError) {
        // The name becomes an index in SQL, one comparison per row instead of a string per row.
        let index = "CASE param " + names.enumerated().map { "WHEN \(ReportTemplate.literal($1)) THEN \($0)" }
            .joined(separator: " ") + " END"
        let column = errors ? "rel_error" : "value"
        let gradients = "SELECT step, \(index), \(column) FROM gradients WHERE run_id = ?"
            + (errors ? " AND passed IS NOT NULL" : "") + " ORDER BY step"
        try store.attempt {
            let rows = try store.db.prepare(gradients)
            try rows.bind(runID, at: 1)
            guard errors || steps else { return try endOfEpochValues(rows, names.count, runID, point) }
            while try rows.step() {
                guard let k = rows.value(at: 1).int64Value else { continue }
                point(Int(k), Double(rows.int64(at: 0)), Measured.number(rows.value(at: 2)) ?? .nan)
            }
        }
    }

    /// Each parameter at the end of each epoch: the value the epoch's next step started from, read
    /// by walking the epochs and the gradient rows side by side, both in order; after the last
    /// epoch, the run's final values.
    private func endOfEpochValues(_ rows: Statement, _ count: Int, _ runID: Int64,
                                  _ point: (Int, Double, Double) -> Void) throws {
        let epochs = try store.db.prepare("SELECT epoch, last_step FROM epochs WHERE run_id = ? ORDER BY epoch")
        try epochs.bind(runID, at: 1)
        var row = try rows.step()
        var lastEpoch = 0
        while try epochs.step() {
            let epoch = Double(epochs.int64(at: 0)), next = epochs.int64(at: 1) + 1
            lastEpoch = Int(epoch)
            while row && rows.int64(at: 0) < next { row = try rows.step() }
            while row && rows.int64(at: 0) == next {
                if let k = rows.value(at: 1).int64Value { point(Int(k), epoch, Measured.number(rows.value(at: 2)) ?? .nan) }
                row = try rows.step()
            }
        }
        guard lastEpoch > 0 else { return }
        let finals = try store.db.rows("SELECT final FROM params WHERE run_id = ? ORDER BY position", [.integer(runID)])
        // Only the last epoch has no next step; its values are the run's finals.
        if try store.db.scalar("SELECT count(*) FROM steps WHERE run_id = ? AND epoch > ?",
                               [.integer(runID), .integer(Int64(lastEpoch))]) == .integer(0) {
            for (k, final) in finals.prefix(count).enumerated() {
                point(k, Double(lastEpoch), Measured.number(final[0]) ?? .nan)
            }
        }
    }
}
