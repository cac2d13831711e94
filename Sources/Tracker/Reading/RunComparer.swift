import SQLiteDB

/// Side-by-side views of several runs: `gradlog compare` and `gradlog diff`.
public struct RunComparer {
    /// The database to read.
    public let store: Store

    /// Creates a comparer over a store.
    public init(store: Store) {
        self.store = store
    }

    /// The configuration fields compared between runs, in the order shown.
    static let configFields = ["name", "source"] + RunSettings.columns + ["samples_sha256"]

    /// The per-epoch columns `compare` can show besides mean_loss.
    public static var epochColumns: [String] { EpochRow.figures }

    /// A setting as compared: NULL (one a run logged from outside does not have) and '' both show
    /// as nothing, so they do not differ.
    static func shown(_ value: SQLiteValue) -> SQLiteValue { value == .null ? .text("") : value }

    /// Each configuration field and initial parameter (`w.initial`), with one value per run.
    func configRows(_ ids: [Int64]) throws(TrackerError) -> [(String, [SQLiteValue])] {
        let list = Self.configFields.joined(separator: ", ")
        var rows: [(String, [SQLiteValue])] = []
        var perRun: [SQLiteRow?] = []
        var initials: [[String: SQLiteValue]] = []
        var names: [String] = []
        var seen: Set<String> = []  // names.contains was quadratic: 41 s for 20,000 parameters
        try store.attempt {
            for id in ids {
                perRun.append(try store.db.namedRows("SELECT \(list) FROM runs WHERE id = ?", [.integer(id)]).first)
                let params = try store.db.namedRows(
                    "SELECT param, initial FROM params WHERE run_id = ? ORDER BY position", [.integer(id)]).map {
                    (name: try $0["param"] as String, initial: try $0["initial"] as SQLiteValue)
                }
                initials.append(Dictionary(params.map { ($0.name, $0.initial) }, uniquingKeysWith: { a, _ in a }))
                for param in params.map(\.name) where seen.insert(param).inserted { names.append(param) }
            }
            for field in Self.configFields {
                rows.append((field, try perRun.map { try $0?[field] ?? SQLiteValue.null }))
            }
        }
        for name in names {
            rows.append(("\(name).initial", initials.map { $0[name] ?? .null }))
        }
        // A run logged from outside has its settings only in the config it gave (gradlog's own
        // runs have theirs in the rows above, so theirs is left empty).
        let configs = try ids.map { id throws(TrackerError) in
            try store.attempt {
                try store.db.scalar("SELECT CASE source WHEN 'external' THEN config END FROM runs WHERE id = ?", [.integer(id)]) ?? .null
            }
        }
        if configs.contains(where: { $0 != .null }) { rows.append(("config", configs)) }
        return rows
    }

    /// The configuration fields (not the initial parameters) whose values differ between the runs,
    /// each with one value per run: what a sweep varied.
    public func differingSettings(_ ids: [Int64]) throws(TrackerError) -> [(name: String, values: [SQLiteValue])] {
        try configRows(ids).filter { field, values in
            !field.hasSuffix(".initial") && values.contains { Self.shown($0) != Self.shown(values[0]) }
        }.map { (name: $0.0, values: $0.1) }
    }

    /// The `compare` table: columns field, epoch, then one per run; rows: the configuration that
    /// differs, each selected epoch's `columns` (mean_loss by default), then each run's outcome.
    public func compare(_ ids: [Int64], columns: [String] = ["mean_loss"],
                        epochs: EpochSelection = .all) throws(TrackerError) -> Table {
        var table = Table(columns: [], rows: [])
        do {
            try compare(ids, columns: columns, epochs: epochs, begin: { table.columns = $0 }, row: { table.rows.append($0) })
        } catch {
            throw store.wrap(error)
        }
        return table
    }

    /// The `compare` table handed over row by row, so that runs of millions of epochs take
    /// constant memory: the epochs of all runs are merged from one ordered query per run.
    /// Errors of `begin` and `row` pass through; the database's are `TrackerError`s.
    public func compare(
        _ ids: [Int64], columns: [String] = ["mean_loss"], epochs: EpochSelection = .all,
        begin: ([String]) throws -> Void, row: ([SQLiteValue]) throws -> Void
    ) throws {
        try begin(["field", "epoch"] + Self.runColumnNames(ids))
        for (field, values) in try configRows(ids) where values.contains(where: { Self.shown($0) != Self.shown(values[0]) }) {
            try row([.text(field), .null] + values)
        }
        var metrics: [String] = []
        for id in ids {
            for name in try RunCatalog(store: store).metricNames(of: id) where !metrics.contains(name) { metrics.append(name) }
        }
        try streamEpochRows(ids, columns: columns, metrics: metrics, epochs: epochs, row: row)
        for outcome in try outcomeRows(ids) { try row(outcome) }
    }

    /// `run 3` for each run, and `run 3 #2` for its second appearance, so that no two columns
    /// (no two JSON keys) share a name when a run is given twice (`compare 3 latest`).
    static func runColumnNames(_ ids: [Int64]) -> [String] {
        var seen: [Int64: Int] = [:]
        return ids.map { id in
            seen[id, default: 0] += 1
            let count = seen[id] ?? 1
            return count == 1 ? "run \(id)" : "run \(id) #\(count)"
        }
    }

    /// One row per selected epoch and column, the runs' values side by side (empty where a run has
    /// no such epoch), merged from one query per run ordered by epoch; then each of `metrics` at the
    /// epoch's last step (empty where the run logged none there).
    private func streamEpochRows(_ ids: [Int64], columns: [String], metrics: [String], epochs: EpochSelection,
                                 row: ([SQLiteValue]) throws -> Void) throws {
        let list = (columns + metrics.map { name in
            "(SELECT m.value FROM step_metrics AS m WHERE m.run_id = epochs.run_id AND m.step = epochs.last_step "
                + "AND m.name = \(ReportTemplate.literal(name)))"
        }).joined(separator: ", ")
        let columns = columns + metrics
        let condition = epochs.condition(ends: epochs.every > 1 ? try windowEnds(ids, epochs) : [])
        let cursors = try store.attempt {
            try ids.map { id in
                let statement = try store.db.prepare(
                    "SELECT epoch, \(list) FROM epochs WHERE run_id = ? AND \(condition) ORDER BY epoch")
                try statement.bind(id, at: 1)
                return statement
            }
        }
        func next(_ cursor: Statement) throws(TrackerError) -> [SQLiteValue]? {
            try store.attempt { try cursor.step() ? cursor.row() : nil }
        }
        var heads = try cursors.map { cursor throws(TrackerError) in try next(cursor) }
        while let epoch = heads.compactMap({ $0?[0].int64Value }).min() {
            let here = heads.map { $0?[0].int64Value == epoch }
            for (index, column) in columns.enumerated() {
                try row([.text(column), .integer(epoch)] + heads.indices.map { here[$0] ? heads[$0]?[index + 1] ?? .null : .null })
            }
            for position in heads.indices where here[position] { heads[position] = try next(cursors[position]) }
        }
    }

    /// Each run's first and last epoch in the selection's window, kept when thinning.
    private func windowEnds(_ ids: [Int64], _ epochs: EpochSelection) throws(TrackerError) -> [Int64] {
        let window = epochs.window
        return try store.attempt {
            try ids.flatMap { id in
                try store.db.namedRows(
                    "SELECT min(epoch) AS first, max(epoch) AS last FROM epochs WHERE run_id = ? AND epoch BETWEEN ? AND ?",
                    [.integer(id), .integer(window.lowerBound), .integer(window.upperBound)]
                ).flatMap { [try $0["first"] as Int64?, try $0["last"] as Int64?].compactMap { $0 } }
            }
        }
    }

    private func outcomeRows(_ ids: [Int64]) throws(TrackerError) -> [[SQLiteValue]] {
        let summaries = try ids.map { id throws(TrackerError) in try RunCatalog(store: store).summary(of: id) }
        // Looked up by name through dictionaries: searching the lists was quadratic in a run's
        // parameters (25 s for 20,000, logged from outside).
        var fields: [String] = []
        var seen: Set<String> = ["run", "name", "epochs"]
        for summary in summaries {
            for column in summary.columns where seen.insert(column).inserted { fields.append(column) }
        }
        let positions = summaries.map { Dictionary($0.columns.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first }) }
        return fields.map { field in
            [.text(field), .null] + zip(summaries, positions).map { summary, position in
                position[field].map { summary.rows[0][$0] } ?? .null
            }
        }
    }
}
