import SQLiteDB

extension RunComparer {
    /// The `diff` table, columns what, name, a, b, difference: the configuration that differs, the
    /// step counts when they differ, the first logged value that differs (by bit pattern), and for
    /// every logged column its values at the last common step and its largest absolute difference.
    public func diff(_ a: Int64, _ b: Int64) throws(TrackerError) -> Table {
        var rows: [[SQLiteValue]] = []
        for (field, values) in try configRows([a, b]) where Self.shown(values[0]) != Self.shown(values[1]) {
            rows.append([.text("config"), .text(field), values[0], values[1], .null])
        }
        var drift = Drift()
        try store.attempt {
            let counts = try [a, b].map { try store.db.scalar("SELECT count(*) FROM steps WHERE run_id = ?", [.integer($0)]) ?? .null }
            if counts[0] != counts[1] { rows.append([.text("steps"), .text("count"), counts[0], counts[1], .null]) }
            let statement = try store.db.prepare(Self.pairedStepsSQL)
            try statement.bind([.integer(a), .integer(b)])
            // The autodiff gradient only where a run has it, so that other diffs read as before.
            let autodiff = try [a, b].contains { try RunCatalog(store: store).hasAutodiff($0) }
            let columns = try Drift.Columns(statement, autodiff: autodiff)
            while try statement.step() { try drift.add(statement, columns) }
            let metrics = try store.db.prepare(Self.pairedMetricsSQL)
            try metrics.bind([.integer(a), .integer(b)])
            let (step, name, aValue, bValue) = try (metrics.column(named: "step"), metrics.column(named: "name"),
                                                    metrics.column(named: "a_value"), metrics.column(named: "b_value"))
            while try metrics.step() {
                drift.note(try metrics.decode(String.self, at: name), metrics.value(at: aValue), metrics.value(at: bValue),
                           step: try metrics.decode(Int64.self, at: step))
            }
        }
        if let first = drift.first {
            rows.append([.text("first difference"), .text("step \(first.step) \(first.column)"),
                         first.a, first.b, Drift.distance(first.a, first.b)])
        } else if !drift.columns.isEmpty {
            rows.append([.text("first difference"), .text("none in \(drift.steps) common steps"), .null, .null, .null])
        }
        for column in drift.columns {
            let last = drift.last[column] ?? (.null, .null)
            rows.append([.text("largest difference"), .text(column), last.0, last.1, drift.largest[column] ?? .null])
        }
        return Table(columns: ["what", "name", "a", "b", "difference"], rows: rows)
    }

    /// Both runs' metrics of the same name at the steps they share, step by step.
    static let pairedMetricsSQL = """
        SELECT m1.step, m1.name, m1.value AS a_value, m2.value AS b_value
        FROM step_metrics AS m1
        JOIN step_metrics AS m2 ON m2.run_id = ?2 AND m2.step = m1.step AND m2.name = m1.name
        WHERE m1.run_id = ?1
        ORDER BY m1.step, m1.name
        """

    /// Both runs' logged values, step by step and parameter by parameter, for the steps they share
    /// (a run without parameters gives one row per step, its parameter NULL; a step that logged no
    /// values has NULL gradient columns).
    static let pairedStepsSQL = """
        SELECT s1.step, s1.loss AS a_loss, s2.loss AS b_loss, g1.param,
               g1.value AS a_value, g2.value AS b_value, g1.analytic AS a_analytic, g2.analytic AS b_analytic,
               g1.numeric AS a_numeric, g2.numeric AS b_numeric, g1.passed AS a_passed, g2.passed AS b_passed,
               g1.autodiff AS a_autodiff, g2.autodiff AS b_autodiff
        FROM steps AS s1
        JOIN steps AS s2 ON s2.run_id = ?2 AND s2.step = s1.step
        LEFT JOIN params AS p ON p.run_id = s1.run_id
        LEFT JOIN gradients AS g1 ON g1.run_id = s1.run_id AND g1.step = s1.step AND g1.param = p.param
        LEFT JOIN gradients AS g2 ON g2.run_id = s2.run_id AND g2.step = s2.step AND g2.param = p.param
        WHERE s1.run_id = ?1
        ORDER BY s1.step, p.position
        """
}

/// Accumulates the differences between two runs' paired values, row by row.
struct Drift {
    var first: (step: Int64, column: String, a: SQLiteValue, b: SQLiteValue)?
    var columns: [String] = []
    var largest: [String: SQLiteValue] = [:]
    var last: [String: (SQLiteValue, SQLiteValue)] = [:]
    var steps = 0
    private var lastStep: Int64 = 0

    /// The paired query's columns, resolved by name once for all rows.
    struct Columns {
        let step, param: Int32
        /// Each compared column's name and its two runs' columns; the first is the step's loss.
        let pairs: [(name: String, a: Int32, b: Int32)]

        init(_ statement: Statement, autodiff: Bool) throws {
            (step, param) = try (statement.column(named: "step"), statement.column(named: "param"))
            pairs = try (["loss", "value", "analytic", "numeric", "passed"] + (autodiff ? ["autodiff"] : [])).map {
                ($0, try statement.column(named: "a_\($0)"), try statement.column(named: "b_\($0)"))
            }
        }
    }

    /// Adds the statement's current row.
    mutating func add(_ row: Statement, _ c: Columns) throws {
        let step = try row.decode(Int64.self, at: c.step)
        if step != lastStep {
            steps += 1
            lastStep = step
            note("loss", row.value(at: c.pairs[0].a), row.value(at: c.pairs[0].b), step: step)
        }
        guard let param = try row.decode(String?.self, at: c.param) else { return }
        for pair in c.pairs.dropFirst() {
            note("\(param).\(pair.name)", row.value(at: pair.a), row.value(at: pair.b), step: step)
        }
    }

    /// Adds one pair of values of `column` at `step`; the metrics come after all steps, so the first
    /// difference is the one at the earliest step.
    mutating func note(_ column: String, _ a: SQLiteValue, _ b: SQLiteValue, step: Int64) {
        if last[column] == nil { columns.append(column) }
        last[column] = (a, b)
        // NULL (a NaN) equals NULL: both runs produced NaN there.
        if a != b, first.map({ step < $0.step }) ?? true { first = (step, column, a, b) }
        let distance = Self.distance(a, b)
        switch (largest[column], distance) {
        case (nil, _): largest[column] = distance
        case (.null?, _): break  // a NaN on one side only: nothing is worse
        case (_?, .null): largest[column] = .null
        case let (current?, new):
            if let old = current.doubleValue, let candidate = new.doubleValue, candidate > old { largest[column] = new }
        }
    }

    /// |a - b| for two numbers, 0 when both are NaN (NULL), NULL (unbounded) when only one is.
    static func distance(_ a: SQLiteValue, _ b: SQLiteValue) -> SQLiteValue {
        guard let x = Measured.number(a), let y = Measured.number(b) else { return a == b ? .real(0) : .null }
        if Measured.same(x, y) { return .real(0) }
        return Measured.value(Swift.abs(x - y))
    }
}
