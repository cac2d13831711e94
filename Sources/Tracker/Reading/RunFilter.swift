import SQLiteDB

/// Which runs `gradlog runs` lists, and in what order.
public struct RunFilter: Sendable {
    /// Only runs with this status.
    public var status: String?
    /// Only runs whose name contains this text, or matches it as a glob when it has * ? or [.
    public var name: String?
    /// Only runs with all of these tags.
    public var tags: [(key: String, value: String)] = []
    /// Only runs in which this text occurs, in any case of ASCII letters: in the name, the note,
    /// the dataset, or a tag written `key=value` (so a key, a value or both match).
    public var text: String?
    /// Only the runs with these ids (a live view's rows).
    public var ids: [Int64]?
    /// Only runs added after this id (the runs a live view does not have yet).
    public var afterID: Int64?
    /// Only runs on this dataset (a built-in name or the path as given).
    public var dataset: String?
    /// Only runs started at or after this ISO-8601 time or date, e.g. 2026-11-29 or 2026-11-29T10:00.
    public var since: String?
    /// At most this many runs.
    public var limit: Int?
    /// Leave out this many runs first (a page further on).
    public var offset: Int?
    /// The column to sort by.
    public var sort: SortKey = .id
    /// Largest first.
    public var descending = false

    /// Columns runs can be sorted by.
    public enum SortKey: String, CaseIterable, Sendable {
        case id, name, status, dataset, lr, epochs
        case finalLoss = "final_loss"
        case startedAt = "started_at"
        case worstRelError = "worst_rel_error"
        case steps = "step_count"
        case hidden, activation
        /// The epochs reached (`epoch_count`).
        case epoch
        case latestLoss = "latest_loss"
        case stepsPerSecond = "steps_per_s"
        case accuracy
        case gradientCheck = "gradient_check"
        /// Who ran the run (`runs.run_by`).
        case user

        /// The SQL the key sorts by, in a query `FROM runs`: a column, or the expression that
        /// `RunCatalog.overview` shows under the key's name.
        var expression: String {
            switch self {
            case .epoch: "epoch_count"
            case .latestLoss: ProgressColumns.latestLossSQL
            case .stepsPerSecond: ProgressColumns.rateSQL
            case .accuracy: "final_accuracy"
            case .gradientCheck: RunCatalog.gradientCheckSQL
            case .user: "run_by"
            default: rawValue
            }
        }
    }

    /// No filter: every run, by id.
    public init() {}

    /// The WHERE clause (with its leading keyword, or empty) and its bound values.
    func whereClause() -> (String, [SQLiteValue]) {
        var terms: [String] = []
        var values: [SQLiteValue] = []
        if let status {
            terms.append("status = ?")
            values.append(.text(status))
        }
        if let name {
            let isGlob = name.contains { "*?[".contains($0) }
            terms.append(isGlob ? "name GLOB ?" : "instr(name, ?) > 0")
            values.append(.text(name))
        }
        if let text {
            // LIKE folds ASCII letters only; the text's own % _ and \ are escaped, so it matches as it is.
            // The tags are read once for all runs (IN), not per run: half the time at 10,000 runs of 6 tags.
            let pattern = "%" + text.replacing("\\", with: "\\\\").replacing("%", with: "\\%").replacing("_", with: "\\_") + "%"
            terms.append("""
                (name LIKE ? ESCAPE '\\' OR note LIKE ? ESCAPE '\\' OR dataset LIKE ? ESCAPE '\\'
                 OR id IN (SELECT run_id FROM tags WHERE key || '=' || value LIKE ? ESCAPE '\\'))
                """)
            values += Array(repeating: .text(pattern), count: 4)
        }
        if let ids {
            terms.append(ids.isEmpty ? "0" : "id IN (" + Array(repeating: "?", count: ids.count).joined(separator: ", ") + ")")
            values += ids.map { .integer($0) }
        }
        if let afterID {
            terms.append("id > ?")
            values.append(.integer(afterID))
        }
        for tag in tags {
            terms.append("EXISTS (SELECT 1 FROM tags AS t WHERE t.run_id = runs.id AND t.key = ? AND t.value = ?)")
            values += [.text(tag.key), .text(tag.value)]
        }
        if let dataset {
            terms.append("dataset = ?")
            values.append(.text(dataset))
        }
        if let since {
            terms.append("started_at >= ?")
            values.append(.text(since))
        }
        return (terms.isEmpty ? "" : "WHERE " + terms.joined(separator: " AND "), values)
    }

    /// The ORDER BY and LIMIT clauses.
    var orderClause: String {
        let direction = descending ? "DESC" : "ASC"
        var limitText = limit.map { " LIMIT \($0)" } ?? ""
        if let offset { limitText = (limit == nil ? " LIMIT -1" : limitText) + " OFFSET \(offset)" }
        return "ORDER BY \(sort.expression) \(direction), id \(direction)\(limitText)"
    }
}
