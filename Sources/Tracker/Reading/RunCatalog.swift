import SQLiteDB
import Training

/// Finds runs and reads what was logged about them: listings, details and reports.
public struct RunCatalog {
    /// The database to read.
    public let store: Store

    /// Creates a catalog over a store.
    public init(store: Store) {
        self.store = store
    }

    /// The id of the run `reference` names: an id, `latest`, `latest~N`, a uuid or a unique prefix
    /// of one, or a name that only one run has.
    public func resolve(_ reference: String) throws(TrackerError) -> Int64 {
        try store.attempt { try RunReference.resolve(reference, in: store.db) }
    }

    /// The ids of several runs, each named as `resolve` takes it.
    public func resolve(_ references: [String]) throws(TrackerError) -> [Int64] {
        try references.map { reference throws(TrackerError) in try resolve(reference) }
    }

    /// The ids of the runs that pass `filter`, in its order.
    public func runIDs(matching filter: RunFilter) throws(TrackerError) -> [Int64] {
        let (whereClause, values) = filter.whereClause()
        return try store.attempt { try store.db.column(Int64.self, "SELECT id FROM runs \(whereClause) \(filter.orderClause)", values) }
    }

    /// The column `list` adds when asked (the JSON formats of `gradlog runs`): 64 hex digits, too wide for a table.
    public static let fingerprintColumn = "fingerprint"

    /// The columns of `list` before any metric's.
    public static let listColumns = ["id", "name", "status", "dataset", "lr", "epochs", "steps", "epoch"] + ProgressColumns.names
        + ["final_loss", "started_at", "user"]

    /// One row per run that passes `filter` (`listColumns`): id, name, status, dataset, lr, epochs,
    /// the steps and the epoch reached, a running run's latest loss and rate (`ProgressColumns`),
    /// final loss, start time, who ran it (`runs.run_by`); with `fingerprint`, the run's fingerprint
    /// (`fingerprintColumn`); then the latest value of each of `metrics`.
    public func list(_ filter: RunFilter = RunFilter(), metrics: [String] = [], fingerprint: Bool = false) throws(TrackerError) -> Table {
        let (whereClause, values) = filter.whereClause()
        if !metrics.isEmpty { try store.snapshot?.loadLatestMetrics(named: metrics) }
        // Each metric's latest value: the run's step_metrics read backwards from its last step.
        // Callers pass names that `ParameterName.isSafe` accepts; the literal is quoted all the same.
        let latest = metrics.map { name in
            ", (SELECT m.value FROM step_metrics AS m WHERE m.run_id = runs.id AND m.name = \(ReportTemplate.literal(name)) "
                + "ORDER BY m.step DESC LIMIT 1) AS \(SQLIdentifier.quoted(name))"
        }.joined()
        var table = try query(
            """
            SELECT id, name, status, dataset, lr, epochs, step_count AS steps, epoch_count AS epoch,
                   \(ProgressColumns.selection), final_loss, started_at, run_by AS user\(fingerprint ? ", fingerprint" : "")\(latest)
            FROM runs \(whereClause) \(filter.orderClause)
            """, values)
        let idColumn = table.columns.firstIndex(of: "id"), statusColumn = table.columns.firstIndex(of: "status")
        table.rows = table.rows.map { row in
            let id = idColumn.flatMap { row[$0].int64Value }
            let crashed = id.map { store.unmarkedCrashedRuns.contains($0) } ?? false
            var shown = ProgressColumns.shown(row, columns: table.columns, crashed: crashed)
            if let statusColumn, let status = shownStatus(id, crashed: crashed) { shown[statusColumn] = .text(status) }
            return shown
        }
        return table
    }

    /// The status a run is shown with instead of its stored one: `crashed` when its process is gone,
    /// `stale` when it is running in a team store whose pushes of it stopped (`StaleRun`); nil otherwise.
    private func shownStatus(_ runID: Int64?, crashed: Bool) -> String? {
        if crashed { return RunStatus.crashed.rawValue }
        return runID.flatMap { store.snapshot?.staleRuns.contains($0) == true ? StaleRun.shownStatus : nil }
    }

    /// One run's configuration, summary, a running run's latest loss and rate, parameters and tags
    /// as field/value rows.
    public func details(of runID: Int64) throws(TrackerError) -> Table {
        // One statement: the row and the figures of its latest step come from the same commit.
        let run = try query("SELECT *, \(ProgressColumns.selection) FROM runs WHERE id = ?", [.integer(runID)])
        let crashed = store.unmarkedCrashedRuns.contains(runID)
        let values = run.rows.first.map { ProgressColumns.shown($0, columns: run.columns, crashed: crashed) } ?? []
        var rows = zip(run.columns, values).map { [SQLiteValue.text($0.0), $0.1] }
        if let index = run.columns.firstIndex(of: "status"), let status = shownStatus(runID, crashed: crashed) {
            rows[index][1] = .text(status)
        }
        try store.attempt {
            for param in try store.db.namedRows(
                "SELECT param, initial, final FROM params WHERE run_id = ? ORDER BY position", [.integer(runID)]) {
                let name: String = try param["param"]
                rows.append([.text("\(name).initial"), try param["initial"]])
                rows.append([.text("\(name).final"), try param["final"]])
            }
            for tag in try store.db.namedRows("SELECT key, value FROM tags WHERE run_id = ? ORDER BY key", [.integer(runID)]) {
                rows.append([.text("tag.\(try tag["key"] as String)"), try tag["value"]])
            }
        }
        return Table(columns: ["field", "value"], rows: rows)
    }

    /// The run's parameter names in order (w or w1..wn, then b; or the layered names), those that
    /// match the GLOB pattern `matching` when one is given (`l1.*`), each checked against the names
    /// gradlog writes, since they become part of report queries.
    public func parameterNames(of runID: Int64, matching pattern: String? = nil) throws(TrackerError) -> [String] {
        let names = try store.attempt {
            try store.db.column(String.self, "SELECT param FROM params WHERE run_id = ? AND (?2 IS NULL OR param GLOB ?2) ORDER BY position",
                                [.integer(runID), pattern.map { .text($0) } ?? .null])
        }
        if let bad = names.first(where: { !ParameterName.isSafe($0) }) {
            throw .badParameterName(path: store.path, runID: runID, name: bad)
        }
        return names
    }

    /// The run's parameter names, refused when the report would be wider than SQLite allows.
    func reportParameters(_ kind: ReportTemplate.Kind, of runID: Int64, matching pattern: String?,
                          autodiff: Bool = false) throws(TrackerError) -> [String] {
        let names = try parameterNames(of: runID, matching: pattern)
        if let pattern, names.isEmpty { throw .noParameterMatches(runID: runID, pattern: pattern) }
        let limit = kind.maxParameters(autodiff: autodiff)
        guard names.count <= limit else { throw .reportTooWide(runID: runID, parameters: names.count, limit: limit) }
        return names
    }

    /// True when the run logged the gradient from automatic differentiation (`runs.autodiff`), which
    /// adds a column per parameter to its per-step report.
    public func hasAutodiff(_ runID: Int64) throws(TrackerError) -> Bool {
        try store.attempt { try store.db.scalar("SELECT autodiff FROM runs WHERE id = ?", [.integer(runID)]) == .integer(1) }
    }

    /// The names of the run's `step_metrics`, for the per-step and per-epoch reports (none for the layers').
    public func metricNames(_ kind: ReportTemplate.Kind = .steps, of runID: Int64) throws(TrackerError) -> [String] {
        guard kind != .layers else { return [] }
        try store.snapshot?.loadMetricNames(of: runID)
        let names = try store.attempt {
            try store.db.column(String.self, "SELECT DISTINCT name FROM step_metrics WHERE run_id = ? ORDER BY name", [.integer(runID)])
        }
        if let bad = names.first(where: { !ParameterName.isSafe($0) }) {
            throw .inconsistentRun(path: store.path, runID: runID, problem: .metricName(bad))
        }
        return names
    }

    /// The SQL of a report for one run, as `gradlog report --sql` prints it.
    public func reportSQL(_ kind: ReportTemplate.Kind, of runID: Int64, matching pattern: String? = nil) throws(TrackerError) -> String {
        let autodiff = kind == .steps ? try hasAutodiff(runID) : false
        let names = try reportParameters(kind, of: runID, matching: pattern, autodiff: autodiff)
        return ReportTemplate(kind, parameterCount: names.count)
            .standaloneSQL(parameters: names, metrics: try metricNames(kind, of: runID), autodiff: autodiff, runID: runID)
    }

    /// Streams a report row by row, so memory stays flat however long the run.
    ///
    /// Database errors are thrown as `TrackerError`s; errors thrown by `columns` and `row` (a failed
    /// write, say) pass through unchanged.
    public func streamReport(
        _ kind: ReportTemplate.Kind, of runID: Int64, matching pattern: String? = nil,
        columns: ([String]) throws -> Void, row: ([SQLiteValue]) throws -> Void
    ) throws {
        let autodiff = kind == .steps ? try hasAutodiff(runID) : false
        let names = try reportParameters(kind, of: runID, matching: pattern, autodiff: autodiff)
        let metrics = try metricNames(kind, of: runID)
        let template = ReportTemplate(kind, parameterCount: names.count)
        if let snapshot = store.snapshot {
            // A metric's mean per epoch is summed by SQLite and PostgreSQL in different ways, whose
            // last bits differ: such a report reads the run's rows copied here, all others the server.
            if metrics.isEmpty || kind != .epochs {
                let sql = template.standaloneSQL(parameters: names, metrics: metrics, autodiff: autodiff, runID: runID)
                switch kind {
                case .steps where metrics.isEmpty:
                    return try StoreReport.streamSteps(sql, of: runID, parameters: names, autodiff: autodiff, from: snapshot.team,
                                                       columns: columns, row: row)
                case .epochs where try endsEpochsOften(runID):
                    return try StoreReport.streamEpochs(sql, of: runID, parameters: names, from: snapshot.team,
                                                        columns: columns, row: row)
                default:
                    return try StoreReport.stream(sql, from: snapshot.team, columns: columns, row: row)
                }
            }
            try snapshot.load([runID])
        }
        let sql = template.sql(parameters: names, metrics: metrics, autodiff: autodiff)
        let statement = try store.attempt {
            let statement = try store.db.prepare(sql)
            if let index = statement.parameterIndex(":run") { try statement.bind(runID, at: index) }
            return statement
        }
        try columns(statement.columnNames)
        while try store.attempt({ try statement.step() }) { try row(statement.row()) }
    }

    /// Whether at least one step in eight ends an epoch: the per-epoch report read in place then
    /// streams all of the run's gradients (`StoreReport.streamEpochs`); with fewer epochs the
    /// server's own plan looks up the few it needs.
    private func endsEpochsOften(_ runID: Int64) throws(TrackerError) -> Bool {
        try store.attempt {
            try store.db.scalar("SELECT epoch_count * 8 >= step_count FROM runs WHERE id = ?", [.integer(runID)]) == .integer(1)
        }
    }

    /// Runs any query and returns its whole result: for Tracker itself and the benchmark, never the
    /// command line, which reads through typed methods.
    package func query(_ sql: String, _ parameters: [SQLiteValue] = []) throws(TrackerError) -> Table {
        try store.attempt {
            let statement = try store.db.prepare(sql)
            try statement.bind(parameters)
            var rows: [[SQLiteValue]] = []
            while try statement.step() { rows.append(statement.row()) }
            return Table(columns: statement.columnNames, rows: rows)
        }
    }
}

extension RunCatalog {
    /// A run's gradient check in a query `FROM runs`: failed, passed or not checked.
    static let gradientCheckSQL = """
        CASE WHEN runs.failed_checks > 0 THEN 'failed'
             -- A run logged from outside may give no gradients to check at all.
             WHEN runs.worst_rel_error IS NOT NULL
               OR EXISTS (SELECT 1 FROM gradient_blocks WHERE run_id = runs.id AND checks > 0) THEN 'passed'
             ELSE 'not checked' END
        """

    /// A one-row summary of a run, as `gradlog run` prints it: how it ended, the final loss, the final
    /// parameters, the accuracy and the worst gradient check.
    public func summary(of runID: Int64) throws(TrackerError) -> Table {
        let run = try query(
            """
            SELECT id AS run, name, status, epoch_count AS epochs, step_count AS steps, final_loss
            FROM runs WHERE id = ?
            """, [.integer(runID)])
        let checks = try query(
            """
            SELECT final_accuracy AS accuracy, worst_abs_error, worst_rel_error, failed_checks,
                   \(Self.gradientCheckSQL) AS gradient_check
            FROM runs WHERE id = ?
            """, [.integer(runID)])
        let params = try store.attempt {
            try store.db.namedRows("SELECT param, final FROM params WHERE run_id = ? ORDER BY position", [.integer(runID)]).map {
                (name: try $0["param"] as String, final: try $0["final"] as SQLiteValue)
            }
        }
        guard let runRow = run.rows.first, let checkRow = checks.rows.first else {
            throw .runNotFound(String(runID))
        }
        return Table(columns: run.columns + params.map(\.name) + checks.columns, rows: [runRow + params.map(\.final) + checkRow])
    }
}
