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
        let counts = try RunCatalog(store: store).query(
            "SELECT (SELECT count(*) FROM steps WHERE run_id = ?), (SELECT count(*) FROM steps WHERE run_id = ?)",
            [.integer(a), .integer(b)]).rows[0]
        if counts[0] != counts[1] {
            rows.append([.text("steps"), .text("count"), counts[0], counts[1], .null])
        }
        var drift = Drift()
        try store.attempt {
            let statement = try store.db.prepare(Self.pairedStepsSQL)
            try statement.bind([.integer(a), .integer(b)])
            while try statement.step() { drift.add(statement.row()) }
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

    /// Both runs' logged values, step by step and parameter by parameter, for the steps they share.
    static let pairedStepsSQL = """
        SELECT s1.step, s1.loss, s2.loss, g1.param,
               g1.value, g2.value, g1.analytic, g2.analytic, g1.numeric, g2.numeric, g1.passed, g2.passed
        FROM steps AS s1
        JOIN steps AS s2 ON s2.run_id = ?2 AND s2.step = s1.step
        JOIN params AS p ON p.run_id = s1.run_id
        JOIN gradients AS g1 ON g1.run_id = s1.run_id AND g1.step = s1.step AND g1.param = p.param
        JOIN gradients AS g2 ON g2.run_id = s2.run_id AND g2.step = s2.step AND g2.param = p.param
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

    mutating func add(_ row: [SQLiteValue]) {
        let step = row[0].int64Value ?? 0
        if step != lastStep {
            steps += 1
            lastStep = step
            note("loss", row[1], row[2], step: step)
        }
        let param = row[3].stringValue ?? ""
        for (offset, column) in ["value", "analytic", "numeric", "passed"].enumerated() {
            note("\(param).\(column)", row[4 + 2 * offset], row[5 + 2 * offset], step: step)
        }
    }

    private mutating func note(_ column: String, _ a: SQLiteValue, _ b: SQLiteValue, step: Int64) {
        if last[column] == nil { columns.append(column) }
        last[column] = (a, b)
        // NULL (a NaN) equals NULL: both runs produced NaN there.
        if first == nil && a != b { first = (step, column, a, b) }
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
