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
    static let configFields = ["name", "dataset", "loss", "lr", "epochs", "batch_size", "seed", "eps", "atol",
                               "rtol", "init", "inputs", "sample_count", "samples_sha256"]

    /// The per-epoch columns `compare` can show besides mean_loss.
    public static let epochColumns = ["steps", "mean_loss", "worst_abs_error", "worst_rel_error", "failed_checks", "accuracy"]

    /// Each configuration field and initial parameter (`w.initial`), with one value per run.
    func configRows(_ ids: [Int64]) throws(TrackerError) -> [(String, [SQLiteValue])] {
        let catalog = RunCatalog(store: store)
        let list = Self.configFields.joined(separator: ", ")
        var rows: [(String, [SQLiteValue])] = []
        var perRun: [[SQLiteValue]] = []
        var initials: [[String: SQLiteValue]] = []
        var names: [String] = []
        for id in ids {
            perRun.append(try catalog.query("SELECT \(list) FROM runs WHERE id = ?", [.integer(id)]).rows.first ?? [])
            let params = try catalog.query(
                "SELECT param, initial FROM params WHERE run_id = ? ORDER BY position", [.integer(id)]).rows
            initials.append(Dictionary(params.map { ($0[0].stringValue ?? "", $0[1]) }, uniquingKeysWith: { a, _ in a }))
            for param in params.compactMap({ $0[0].stringValue }) where !names.contains(param) { names.append(param) }
        }
        for (index, field) in Self.configFields.enumerated() {
            rows.append((field, perRun.map { $0.count > index ? $0[index] : .null }))
        }
        for name in names {
            rows.append(("\(name).initial", initials.map { $0[name] ?? .null }))
        }
        return rows
    }

    /// The `compare` table: columns field, epoch, then one per run; rows: the configuration that
    /// differs, each epoch's `columns` (mean_loss by default), then each run's outcome.
    public func compare(_ ids: [Int64], columns: [String] = ["mean_loss"]) throws(TrackerError) -> Table {
        var rows: [[SQLiteValue]] = []
        for (field, values) in try configRows(ids) where values.contains(where: { $0 != values[0] }) {
            rows.append([.text(field), .null] + values)
        }
        rows += try epochRows(ids, columns: columns)
        rows += try outcomeRows(ids)
        return Table(columns: ["field", "epoch"] + Self.runColumnNames(ids), rows: rows)
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

    private func epochRows(_ ids: [Int64], columns: [String]) throws(TrackerError) -> [[SQLiteValue]] {
        let catalog = RunCatalog(store: store)
        let list = columns.joined(separator: ", ")
        var byRun: [[Int64: [SQLiteValue]]] = []
        var epochs = Set<Int64>()
        for id in ids {
            let table = try catalog.query("SELECT epoch, \(list) FROM epochs WHERE run_id = ? ORDER BY epoch", [.integer(id)])
            var map: [Int64: [SQLiteValue]] = [:]
            for row in table.rows {
                guard let epoch = row[0].int64Value else { continue }
                map[epoch] = Array(row.dropFirst())
                epochs.insert(epoch)
            }
            byRun.append(map)
        }
        var rows: [[SQLiteValue]] = []
        for epoch in epochs.sorted() {
            for (index, column) in columns.enumerated() {
                rows.append([.text(column), .integer(epoch)] + byRun.map { $0[epoch]?[index] ?? .null })
            }
        }
        return rows
    }

    private func outcomeRows(_ ids: [Int64]) throws(TrackerError) -> [[SQLiteValue]] {
        let summaries = try ids.map { id throws(TrackerError) in try RunCatalog(store: store).summary(of: id) }
        var fields: [String] = []
        for summary in summaries {
            for column in summary.columns where !["run", "name", "epochs"].contains(column) && !fields.contains(column) {
                fields.append(column)
            }
        }
        return fields.map { field in
            [.text(field), .null] + summaries.map { summary in
                summary.columns.firstIndex(of: field).map { summary.rows[0][$0] } ?? .null
            }
        }
    }
}
