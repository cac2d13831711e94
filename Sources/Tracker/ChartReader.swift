import SQLiteDB

/// Reads the points of a run's charts in x order, one at a time, so that a chart of any length
/// is reduced to its pixel columns as the rows come.
public struct ChartReader {
    /// What a chart shows of a run.
    public enum Quantity: Sendable, Equatable {
        /// The loss: each epoch's mean loss, or each step's batch loss.
        case loss
        /// Each epoch's accuracy (per epoch only).
        case accuracy
        /// A parameter's value at the end of each epoch, or before each step's update.
        case parameter(String)
        /// A parameter's relative gradient-check error at each checked step.
        case relativeError(String)
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
        case (.parameter(let name), false):
            return ("SELECT epoch, value FROM epoch_params WHERE run_id = ? AND param = ? ORDER BY epoch", [run, .text(name)])
        case (.parameter(let name), true):
            return ("SELECT step, value FROM gradients WHERE run_id = ? AND param = ? ORDER BY step", [run, .text(name)])
        case (.relativeError(let name), _):
            return ("SELECT step, rel_error FROM gradients WHERE run_id = ? AND param = ? AND passed IS NOT NULL ORDER BY step",
                    [run, .text(name)])
        }
    }
}
