import SQLiteDB

/// A sweep's trials as the database holds them: each an ordinary run tagged `sweep=ID` and
/// `trial=K`, with `sweep.grid` (a fingerprint of the sweep's options), `sweep.trials` (how many
/// it has) and one `sweep.OPTION` tag per swept option holding the trial's value.
public struct SweepCatalog {
    /// The database.
    public let store: Store

    /// Creates a catalog over `store`.
    public init(store: Store) {
        self.store = store
    }

    /// The tag prefix of a trial's swept values: `sweep.lr` = `0.1`.
    public static let valueTagPrefix = "sweep."
    /// The tag that holds the sweep's number of trials, so that a trial never run shows as missing.
    public static let trialCountTag = "sweep.trials"
    /// The tag that holds a fingerprint of the sweep's options, the same for every trial.
    public static let gridTag = "sweep.grid"

    /// The grid the sweep's trials were started with; the sweep must have at least one run here.
    public func grid(of sweep: String) throws(TrackerError) -> String {
        let grids = try store.attempt {
            try store.db.column(
                String.self,
                """
                SELECT DISTINCT g.value FROM tags AS s JOIN tags AS g ON g.run_id = s.run_id AND g.key = ?2
                WHERE s.key = 'sweep' AND s.value = ?1
                """, [.text(sweep), .text(Self.gridTag)])
        }
        guard let grid = grids.first else { throw .sweepNotFound(sweep) }
        return grid
    }

    /// The trials whose latest run ended as a trial should (finished, or diverged: an outcome of its
    /// settings) or is still training (a worker of a sweep that was killed): `--resume` leaves them.
    public func settledTrials(of sweep: String) throws(TrackerError) -> Set<Int> {
        try store.attempt {
            Set(try store.db.column(
                Int.self,
                """
                \(Self.latestRunOfEachTrial)
                SELECT trial FROM newest WHERE status IN ('finished', 'diverged', 'running')
                """, [.text(sweep)]))
        }
    }

    /// The sweep's runs (`?1`) as `newest`: the latest run of each trial, by start time (ids differ
    /// between files that pulled runs in different orders), with its `trial` number.
    static let latestRunOfEachTrial = """
        WITH trial_runs AS (
            SELECT r.*, CAST(t.value AS INTEGER) AS trial,
                   row_number() OVER (PARTITION BY t.value ORDER BY r.started_at DESC, r.id DESC) AS recency
            FROM runs AS r
            JOIN tags AS s ON s.run_id = r.id AND s.key = 'sweep' AND s.value = ?1
            JOIN tags AS t ON t.run_id = r.id AND t.key = 'trial'),
        newest AS (SELECT * FROM trial_runs WHERE recency = 1)
        """

    /// One row per trial (its latest run; `not run`, without a run, for a trial that has none here):
    /// trial, run, status, each swept option's value (options in alphabetical order, `-` written `_`),
    /// epochs done, final loss, final accuracy and the gradient-check verdict; in trial order.
    public func trials(of sweep: String) throws(TrackerError) -> Table {
        let options = try store.attempt {
            try store.db.column(
                String.self,
                """
                SELECT DISTINCT substr(v.key, ?3) FROM tags AS s JOIN tags AS v ON v.run_id = s.run_id
                WHERE s.key = 'sweep' AND s.value = ?1 AND v.key LIKE ?2 AND v.key NOT IN (?4, ?5) ORDER BY 1
                """, [.text(sweep), .text(Self.valueTagPrefix + "%"), .integer(Int64(Self.valueTagPrefix.count + 1)),
                      .text(Self.gridTag), .text(Self.trialCountTag)])
        }.filter(Self.isOptionName)
        _ = try grid(of: sweep)
        let pivots = options.enumerated().map { index, option in
            "(SELECT value FROM tags WHERE run_id = newest.id AND key = ?\(index + 2)) AS \"\(Self.columnName(option))\""
        }
        let sql = """
            \(Self.latestRunOfEachTrial)
            SELECT trial, id AS run, status, \(pivots.map { $0 + ", " }.joined())epoch_count, final_loss,
                   final_accuracy,
                   CASE WHEN failed_checks > 0 THEN 'failed'
                        WHEN worst_rel_error IS NOT NULL
                          OR EXISTS (SELECT 1 FROM gradient_blocks WHERE run_id = newest.id AND checks > 0) THEN 'passed'
                        ELSE 'not checked' END AS gradient_check
            FROM newest ORDER BY trial
            """
        var table = try store.attempt {
            let statement = try store.db.prepare(sql)
            try statement.bind([.text(sweep)] + options.map { .text(Self.valueTagPrefix + $0) })
            var rows: [[SQLiteValue]] = []
            while try statement.step() { rows.append(statement.row()) }
            return Table(columns: statement.columnNames, rows: rows)
        }
        // A swept value is stored as tag text; a number reads back as a number, to sort and export as one.
        let swept = 3..<(3 + options.count)
        table.rows = table.rows.map { row in
            var typed = row
            for column in swept { typed[column] = Self.number(row[column]) }
            return typed
        }
        try addTrialsNeverRun(of: sweep, to: &table)
        return table
    }

    /// Adds a `not run` row for each trial of the sweep that has no run in this file (its worker
    /// failed before it made one, or another machine ran it), in trial order.
    private func addTrialsNeverRun(of sweep: String, to table: inout Table) throws(TrackerError) {
        let total = try store.attempt {
            try store.db.scalar(
                """
                SELECT max(CAST(n.value AS INTEGER)) FROM tags AS s JOIN tags AS n ON n.run_id = s.run_id AND n.key = ?2
                WHERE s.key = 'sweep' AND s.value = ?1
                """, [.text(sweep), .text(Self.trialCountTag)])
        }?.int64Value ?? 0
        let present = Set(table.rows.compactMap { $0.first?.int64Value })
        let missing = total < 1 ? [] : (1...total).filter { !present.contains($0) }
        guard !missing.isEmpty else { return }
        let blank = Array(repeating: SQLiteValue.null, count: table.columns.count - 3)
        table.rows += missing.map { [.integer($0), .null, .text("not run")] + blank }
        table.rows.sort { ($0[0].int64Value ?? 0) < ($1[0].int64Value ?? 0) }
    }

    /// The columns of `trials(of:)` for a sweep of these options.
    public static func columns(sweptOptions: [String]) -> [String] {
        ["trial", "run", "status"] + sweptOptions.filter(isOptionName).sorted().map(columnName)
            + ["epoch_count", "final_loss", "final_accuracy", "gradient_check"]
    }

    /// An option's column: `batch-size` is `batch_size`.
    static func columnName(_ option: String) -> String { String(option.map { $0 == "-" ? "_" : $0 }) }

    /// Whether a tag's suffix names an option as `gradlog run` spells them (`batch-size`): only those
    /// become columns, since a tag can hold any text (one pulled from a store, or set by hand).
    static func isOptionName(_ name: String) -> Bool {
        name.first.map { $0 >= "a" && $0 <= "z" } == true && name.count <= 40
            && name.allSatisfy { ($0 >= "a" && $0 <= "z") || $0 == "-" }
    }

    private static func number(_ value: SQLiteValue) -> SQLiteValue {
        guard let text = value.stringValue else { return value }
        if let integer = Int64(text) { return .integer(integer) }
        if let real = Double(text), real.isFinite { return .real(real) }
        return value
    }
}
