import Charts
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
        /// A metric logged with the steps (`val_loss`): each step's value, or its last value in each epoch.
        case metric(String)
        /// A figure of the `epochs` table (`EpochRow.figures`: `worst_rel_error`), per epoch only.
        case figure(String)
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
        return try store.attempt {
            Int(try store.db.scalar("SELECT \(column) FROM runs WHERE id = ?", [.integer(runID)])?.int64Value ?? 0)
        }
    }

    /// A run's name, "" when it has none (a chart's legend and title).
    public func name(of runID: Int64) throws(TrackerError) -> String {
        try store.attempt { try store.db.scalar("SELECT name FROM runs WHERE id = ?", [.integer(runID)])?.stringValue ?? "" }
    }

    /// The relative tolerance of a run's gradient check (the gradient-check chart's reference line).
    public func relativeTolerance(of runID: Int64) throws(TrackerError) -> Double? {
        try store.attempt { try store.db.scalar("SELECT rtol FROM runs WHERE id = ?", [.integer(runID)])?.doubleValue }
    }

    /// Calls `point` with each (x, y) of `quantity` in increasing x; a stored NULL is NaN. With
    /// `range`, only the points whose x lies in it, read by the key's range rather than the whole run.
    public func points(_ quantity: Quantity, of runID: Int64, steps: Bool, in range: ClosedRange<Int64>? = nil,
                       _ point: (Double, Double) -> Void) throws(TrackerError) {
        let (sql, values) = range.map { rangedQuery(quantity, runID: runID, steps: steps, range: $0) }
            ?? query(quantity, runID: runID, steps: steps)
        try fetchRows(of: quantity, runID: runID, steps: steps, in: range ?? Int64.min...Int64.max)
        try store.attempt {
            let statement = try store.db.prepare(sql)
            try statement.bind(values)
            let (x, y) = try (statement.column(named: "x"), statement.column(named: "y"))
            while try statement.step() {
                point(Double(try statement.decode(Int64.self, at: x)), try statement.measured(at: y))
            }
        }
    }

    /// Adds every point of `quantity` (over `range`, as `points` reads it) to `envelope`. A per-epoch
    /// figure that `epoch_blocks` summarises (the loss, accuracy, `worst_rel_error`) comes mostly
    /// from those summaries where a pixel column spans enough epochs for them to pay: the same
    /// columns as reading every row, from a small part of them (a run of millions of one-step epochs).
    public func read(_ quantity: Quantity, of runID: Int64, steps: Bool, in range: ClosedRange<Int64>? = nil,
                     into envelope: inout Envelope) throws(TrackerError) {
        guard !steps, let figure = Self.summarised(quantity), Self.blocksPay(envelope, blockSize: EpochBlocks.size) else {
            return try points(quantity, of: runID, steps: steps, in: range) { envelope.add(x: $0, y: $1) }
        }
        let range = range ?? Int64.min...Int64.max
        let (sql, values) = rangedQuery(quantity, runID: runID, steps: false, range: range)
        try store.attempt {
            let rows = try store.db.prepare(sql)
            try rows.bind(values)
            // An accuracy a run logged from outside did not give is unknown: its rows query leaves it out.
            let source = try store.db.scalar("SELECT source FROM runs WHERE id = ?", [.integer(runID)])
            let external = quantity == .accuracy && source == "external"
            try EpochSeries(store, runID: runID, figure: figure, countsNulls: !external, rows: rows, range: range)
                .read(into: &envelope)
        }
    }

    /// Copies the rows that `points` reads of `quantity` over `range`, for a run of a store read on
    /// demand. A metric's are there already: a run with metrics is copied whole.
    private func fetchRows(of quantity: Quantity, runID: Int64, steps: Bool, in range: ClosedRange<Int64>) throws(TrackerError) {
        switch (quantity, steps) {
        case (.metric, _): return
        case (.loss, true): try store.fetch(.steps, of: runID, .ranges([range]))
        default: try store.fetch(.epochs, of: runID, .ranges([range]))
        }
    }

    /// The `epoch_blocks` figure of a per-epoch quantity, nil when none summarises it (a metric).
    private static func summarised(_ quantity: Quantity) -> String? {
        switch quantity {
        case .loss: "mean_loss"
        case .accuracy: "accuracy"
        case .figure(let name): EpochBlocks.figures.contains(name) ? name : nil
        case .metric: nil
        }
    }

    /// The points of `quantity` of a run one at a time, in increasing x: for merging several runs.
    public func cursor(_ quantity: Quantity, of runID: Int64, steps: Bool) throws(TrackerError) -> PointCursor {
        let (sql, values) = query(quantity, runID: runID, steps: steps)
        try fetchRows(of: quantity, runID: runID, steps: steps, in: Int64.min...Int64.max)
        return try store.attempt {
            let statement = try store.db.prepare(sql)
            try statement.bind(values)
            return try PointCursor(store: store, statement: statement)
        }
    }

    /// A run's points read one at a time (`cursor`).
    public struct PointCursor {
        let store: Store
        let statement: Statement
        let x, y: Int32

        init(store: Store, statement: Statement) throws {
            (self.store, self.statement) = (store, statement)
            (x, y) = try (statement.column(named: "x"), statement.column(named: "y"))
        }

        /// The next point (a stored NULL is NaN), nil after the last.
        public func next() throws(TrackerError) -> (x: Int64, y: Double)? {
            try store.attempt {
                guard try statement.step() else { return nil }
                return (try statement.decode(Int64.self, at: x), try statement.measured(at: y))
            }
        }
    }

    private func query(_ quantity: Quantity, runID: Int64, steps: Bool) -> (String, [SQLiteValue]) {
        let run = SQLiteValue.integer(runID)
        switch (quantity, steps) {
        // Only a name of `EpochRow.figures` is put into the SQL; any other reads nothing.
        case (.figure(let name), _):
            guard EpochRow.figures.contains(name) else { return ("SELECT 0 AS x, 0.0 AS y WHERE 0", []) }
            return ("SELECT epoch AS x, \(name) AS y FROM epochs WHERE run_id = ? ORDER BY epoch", [run])
        case (.loss, false): return ("SELECT epoch AS x, mean_loss AS y FROM epochs WHERE run_id = ? ORDER BY epoch", [run])
        case (.loss, true): return ("SELECT step AS x, loss AS y FROM steps WHERE run_id = ? ORDER BY step", [run])
        // A run logged from outside has no samples: its accuracy is not NaN but unknown, and not drawn.
        case (.accuracy, _): return ("SELECT epoch AS x, accuracy AS y FROM epochs WHERE run_id = ?1 AND (accuracy IS NOT NULL OR "
            + "(SELECT source FROM runs WHERE id = ?1) <> 'external') ORDER BY epoch", [run])
        case (.metric(let name), true):
            return ("SELECT step AS x, value AS y FROM step_metrics WHERE run_id = ?1 AND name = ?2 ORDER BY step", [run, .text(name)])
        // As the per-epoch report's column: the last value among the epoch's steps; epochs without one are left out.
        case (.metric(let name), false):
            return ("""
                SELECT e.epoch AS x, m.value AS y
                FROM (SELECT epoch, last_step, lag(last_step, 1, 0) OVER (ORDER BY epoch) AS after_step
                      FROM epochs WHERE run_id = ?1) AS e
                JOIN step_metrics AS m ON m.run_id = ?1 AND m.name = ?2 AND m.step = (
                    SELECT max(l.step) FROM step_metrics AS l
                    WHERE l.run_id = ?1 AND l.name = ?2 AND l.step > e.after_step AND l.step <= e.last_step)
                ORDER BY e.epoch
                """, [run, .text(name)])
        }
    }

    /// The query of `quantity` over x in `range` only (`?3` through `?4`), each bound a key range.
    private func rangedQuery(_ quantity: Quantity, runID: Int64, steps: Bool, range: ClosedRange<Int64>) -> (String, [SQLiteValue]) {
        // ?2 is a metric's name; the other queries leave it unused, so the bounds are ?3 and ?4 in every one.
        let values: [SQLiteValue] = [.integer(runID), .null, .integer(range.lowerBound), .integer(range.upperBound)]
        switch (quantity, steps) {
        case (.metric(let name), false):
            // The epoch before each one found by the key, not by a window over every earlier epoch.
            return ("""
                SELECT e.epoch AS x, m.value AS y
                FROM epochs AS e
                JOIN step_metrics AS m ON m.run_id = ?1 AND m.name = ?2 AND m.step = (
                    SELECT max(l.step) FROM step_metrics AS l
                    WHERE l.run_id = ?1 AND l.name = ?2 AND l.step <= e.last_step AND l.step > coalesce((
                        SELECT p.last_step FROM epochs AS p WHERE p.run_id = ?1 AND p.epoch < e.epoch
                        ORDER BY p.epoch DESC LIMIT 1), 0))
                WHERE e.run_id = ?1 AND e.epoch BETWEEN ?3 AND ?4
                ORDER BY e.epoch
                """, [values[0], .text(name), values[2], values[3]])
        case (.metric(let name), true):
            return ("SELECT step AS x, value AS y FROM step_metrics WHERE run_id = ?1 AND name = ?2 AND step BETWEEN ?3 AND ?4 "
                    + "ORDER BY step", [values[0], .text(name), values[2], values[3]])
        case (.loss, true):
            return ("SELECT step AS x, loss AS y FROM steps WHERE run_id = ?1 AND step BETWEEN ?3 AND ?4 ORDER BY step", values)
        case (.loss, false):
            return ("SELECT epoch AS x, mean_loss AS y FROM epochs WHERE run_id = ?1 AND epoch BETWEEN ?3 AND ?4 "
                    + "ORDER BY epoch", values)
        case (.accuracy, _):
            return ("SELECT epoch AS x, accuracy AS y FROM epochs WHERE run_id = ?1 AND epoch BETWEEN ?3 AND ?4 AND "
                    + "(accuracy IS NOT NULL OR (SELECT source FROM runs WHERE id = ?1) <> 'external') ORDER BY epoch", values)
        case (.figure(let name), _):
            guard EpochRow.figures.contains(name) else { return ("SELECT 0 AS x, 0.0 AS y WHERE 0", []) }
            return ("SELECT epoch AS x, \(name) AS y FROM epochs WHERE run_id = ?1 AND epoch BETWEEN ?3 AND ?4 "
                    + "ORDER BY epoch", values)
        }
    }

    /// Adds every parameter of `names` to `envelopes` (parameter k to `envelopes[groups[k]]`, all
    /// of one width and x domain); see the other `readEveryParameter`.
    public func readEveryParameter(_ names: [String], of runID: Int64, errors: Bool, steps: Bool,
                                   into envelopes: inout [Envelope], groups: [Int]) throws(TrackerError) {
        var bands = GroupBands(ranges: envelopes)
        try readEveryParameter(names, of: runID, errors: errors, steps: steps, into: &bands, groups: groups)
        envelopes = bands.ranges
    }

    /// Adds every parameter of `names` to `bands` (parameter k to group `groups[k]`): its relative
    /// error at every checked step (`errors`), or its value before every step (`steps`) or at the
    /// end of every epoch. `names` must be the run's checked parameter names (`RunCatalog.parameterNames`).
    ///
    /// Where a pixel column spans many steps, whole blocks of 256 steps come from the run's
    /// `gradient_blocks` summaries and only the blocks that straddle two columns from its gradient
    /// rows: the same ranges as reading every row, from a small part of them; the medians of the
    /// columns that summaries filled are read from the rows of one step each.
    public func readEveryParameter(_ names: [String], of runID: Int64, errors: Bool, steps: Bool,
                                   into bands: inout GroupBands, groups: [Int]) throws(TrackerError) {
        guard let first = bands.ranges.first else { return }
        try store.attempt {
            var series = StepSeries(store, names: names, runID: runID, errors: errors, shape: first)
            if errors || steps {
                try series.read(into: &bands, groups: groups, useBlocks: Self.blocksPay(first))
            } else if try oneStepPerEpoch(runID) {
                // Epoch e ends with the values step e + 1 started from, and the last with the finals.
                series.shift = -1
                try series.read(into: &bands, groups: groups, useBlocks: Self.blocksPay(first))
                try addFinals(of: runID, names.count, into: &bands, groups: groups)
            } else {
                try endOfEpochValues(series.index, names.count, runID, epochs: Self.wholeX(in: first),
                                     into: &bands, groups: groups)
            }
            bands.flush()
        }
    }

    /// The whole numbers of x a clipped envelope can hold (every one for an envelope that is not
    /// clipped; low above high when none): the epochs or steps worth reading for it.
    static func wholeX(in envelope: Envelope) -> (low: Int64, high: Int64) {
        let domain = envelope.xDomain
        guard envelope.clipped, domain.lowerBound > -9e15, domain.upperBound < 9e15 else { return (.min, .max) }
        return (Int64(domain.lowerBound.rounded(.up)), Int64(domain.upperBound.rounded(.down)))
    }

    /// Whether a pixel column spans enough steps or epochs (two blocks) for summaries to save reading rows.
    static func blocksPay(_ envelope: Envelope, blockSize: Int64 = GradientBlocks.size) -> Bool {
        let span = envelope.xDomain.upperBound - envelope.xDomain.lowerBound
        return span / Double(envelope.columns.count) >= 2 * Double(blockSize)
    }

    /// Whether every epoch of the run is one step. gradlog's trainer runs whole epochs of the same
    /// number of steps, numbered from 1, cut short only at the end, and a run logged from outside
    /// numbers its steps and epochs 1, 2, 3 without gaps: one step per epoch exactly when there
    /// are as many epochs as steps (cheaper to ask than to count the epochs rows).
    private func oneStepPerEpoch(_ runID: Int64) throws -> Bool {
        try store.db.scalar("SELECT step_count = epoch_count AND step_count > 0 FROM runs WHERE id = ?",
                            [.integer(runID)]) == .integer(1)
    }

    /// Each parameter at the end of each epoch of several steps: the value the epoch's next step
    /// started from, looked up for each epochs row; after the last epoch, the run's final values.
    private func endOfEpochValues(_ index: String, _ count: Int, _ runID: Int64, epochs range: (low: Int64, high: Int64),
                                  into bands: inout GroupBands, groups: [Int]) throws {
        if range.low <= range.high {
            try store.fetch(.epochs, of: runID, .ranges([range.low...range.high]))
            try store.fetch(.gradients, of: runID, .selectedBy(
                "SELECT last_step + 1 FROM epochs WHERE run_id = \(runID) AND epoch BETWEEN \(range.low) AND \(range.high) "
                    + "AND last_step < \(Int64.max)"))
        }
        let epochs = try store.db.prepare("SELECT epoch, last_step FROM epochs WHERE run_id = ? AND epoch BETWEEN ? AND ? ORDER BY epoch")
        try epochs.bind(runID, at: 1)
        try epochs.bind(range.low, at: 2)
        try epochs.bind(range.high, at: 3)
        let values = try store.db.prepare("SELECT \(index) AS k, value FROM gradients WHERE run_id = ?1 AND step = ?2")
        let (k, value) = try (values.column(named: "k"), values.column(named: "value"))
        try values.bind(runID, at: 1)
        while try epochs.step() {
            let epoch = Double(try epochs.decode(Int64.self, named: "epoch")), lastStep = try epochs.decode(Int64.self, named: "last_step")
            // A last step edited to the largest integer has no next step to read the values from.
            guard lastStep < .max else { continue }
            try values.bind(lastStep + 1, at: 2)
            while try values.step() {
                guard let k = values.value(at: k).int64Value else { continue }
                bands.add(x: epoch, y: try values.measured(at: value), group: groups[Int(k)])
            }
            values.reset()
        }
        try addFinals(of: runID, count, into: &bands, groups: groups)
    }

    /// The run's final values at its last epoch, unless the run is still running (they are not
    /// written yet) or steps of a later epoch were logged (a live run's next epoch has begun).
    private func addFinals(of runID: Int64, _ count: Int, into bands: inout GroupBands, groups: [Int]) throws {
        let lastEpoch = "SELECT epoch FROM epochs WHERE run_id = \(runID) ORDER BY epoch DESC LIMIT 1"
        try store.fetch(.epochs, of: runID, .selectedBy(lastEpoch))
        // Whether any step comes after the last epoch's: one such step tells.
        try store.fetch(.steps, of: runID, .selectedBy(
            "SELECT min(step) FROM steps WHERE run_id = \(runID) AND step > (SELECT last_step FROM epochs WHERE run_id = \(runID) "
                + "AND epoch = (\(lastEpoch)))"))
        guard try store.db.scalar("SELECT status FROM runs WHERE id = ?", [.integer(runID)]) != .text(RunStatus.running.rawValue),
              let last = try store.db.namedRows(
            "SELECT epoch, last_step FROM epochs WHERE run_id = ? ORDER BY epoch DESC LIMIT 1", [.integer(runID)]).first,
            try store.db.scalar("SELECT count(*) FROM steps WHERE run_id = ? AND step > ?",
                                [.integer(runID), last["last_step"]]) == .integer(0) else { return }
        let epoch: Int64 = try last["epoch"]
        let finals = try store.db.measuredColumn("SELECT final FROM params WHERE run_id = ? ORDER BY position", [.integer(runID)])
        // Final values a run logged from outside did not give are unknown (NULL, read as NaN): left out.
        let external = try store.db.scalar("SELECT source FROM runs WHERE id = ?", [.integer(runID)]) == "external"
        for (k, final) in finals.prefix(count).enumerated() where !(external && final.isNaN) {
            bands.add(x: Double(epoch), y: final, group: groups[k])
        }
    }
}
