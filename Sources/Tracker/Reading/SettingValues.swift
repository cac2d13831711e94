import SQLiteDB

/// The settings of some runs side by side, read once for the two things that name runs by them:
/// a chart's legend (`lr=0.1 seed=2` for the settings that differ) and `--group-by` (the runs
/// that share the values of a few settings). A gradlog run's settings are its `runs` columns
/// (`RunSettings`); a run logged from outside also has the top-level numbers, strings and
/// booleans of the config it gave.
public struct SettingValues: Sendable {
    /// The runs, in the order given.
    public let runIDs: [Int64]
    /// Each run's settings by name; a setting a run does not have is absent.
    let values: [[String: SQLiteValue]]
    /// Every setting name any of the runs has: `RunSettings`' order, then config keys sorted.
    public let names: [String]

    /// The most differing settings a legend label shows; runs that differ in more are named by id.
    public static let labelLimit = 3

    /// Facts of a run's setup that follow from others (the dataset's inputs and samples).
    static let derived: Set<String> = ["inputs", "sample_count"]

    /// Reads the settings of `ids`.
    public init(_ ids: [Int64], in store: Store) throws(TrackerError) {
        let columns = RunSettings.columns.filter { !Self.derived.contains($0) }
        var values: [[String: SQLiteValue]] = []
        var configKeys: Set<String> = []
        try store.attempt {
            let run = try store.db.prepare("SELECT \(columns.joined(separator: ", ")), source, config FROM runs WHERE id = ?")
            for id in ids {
                var settings: [String: SQLiteValue] = [:]
                try run.bind(id, at: 1)
                if try run.step() {
                    let row = run.row()
                    for (index, column) in columns.enumerated() where row[index] != .null && row[index] != .text("") {
                        settings[column] = row[index]
                    }
                    if row[columns.count] == .text("external"), case .text(let config) = row[columns.count + 1] {
                        for (key, value) in try Self.configAtoms(config, store.db) where settings[key] == nil {
                            settings[key] = value
                            configKeys.insert(key)
                        }
                    }
                }
                run.reset()
                values.append(settings)
            }
        }
        self.runIDs = ids
        self.values = values
        names = columns.filter { column in values.contains { $0[column] != nil } } + configKeys.subtracting(columns).sorted()
    }

    /// The top-level numbers, strings and booleans of a config object; nothing when the text is
    /// not a JSON object (a file edited by hand).
    private static func configAtoms(_ config: String, _ db: Database) throws -> [(String, SQLiteValue)] {
        guard try db.scalar("SELECT json_valid(?1) AND json_type(?1) = 'object'", [.text(config)]) == .integer(1) else { return [] }
        let atoms = "SELECT key, value FROM json_each(?) WHERE type NOT IN ('object', 'array', 'null') ORDER BY key"
        return try db.namedRows(atoms, [.text(config)]).map { row in (try row["key"] as String, try row["value"] as SQLiteValue) }
    }

    /// The stored value of `setting` for the run at `index`, nil when it has none.
    public func value(_ setting: String, at index: Int) -> SQLiteValue? {
        values[index][setting]
    }

    /// The value of `setting` for the run at `index`, as a label shows it ("" when it has none).
    public func text(_ setting: String, at index: Int) -> String {
        switch values[index][setting] {
        case .integer(let number): "\(number)"
        case .real(let number): Self.shortest(number)
        case .text(let text): text
        case .blob, .null, nil: ""
        }
    }

    /// The shortest text that reads back as `number`, without a trailing `.0`.
    static func shortest(_ number: Double) -> String {
        let text = "\(number)"
        return text.hasSuffix(".0") ? String(text.dropLast(2)) : text
    }

    /// The settings whose values are not the same for every run, in `names` order.
    public var differing: [String] {
        names.filter { name in Set(values.indices.map { text(name, at: $0) }).count > 1 }
    }

    /// `lr=0.1 seed=2`: the run's values of `settings`.
    public func label(at index: Int, settings: [String]) -> String {
        settings.map { "\($0)=\(text($0, at: index))" }.joined(separator: " ")
    }

    /// A label per run from the settings that differ, when there are one to `labelLimit` of them;
    /// runs whose labels would be the same get ` #ID` after theirs. Nil when there is no such label.
    public func legendLabels() -> [String]? {
        let settings = differing
        guard (1...Self.labelLimit).contains(settings.count) else { return nil }
        let labels = runIDs.indices.map { label(at: $0, settings: settings) }
        return labels.enumerated().map { index, label in
            labels.filter { $0 == label }.count > 1 ? "\(label) #\(runIDs[index])" : label
        }
    }

    /// The runs grouped by their values of `settings`: one group per combination, labelled like a
    /// legend (`lr=0.1`), in increasing order of the values (numbers by size, before text), each
    /// with its runs in the order given.
    public func groups(by settings: [String]) -> [RunGroup] {
        var groups: [(key: [SQLiteValue], group: RunGroup)] = []
        for index in runIDs.indices {
            let key = settings.map { values[index][$0] ?? .null }
            if let position = groups.firstIndex(where: { $0.key == key }) {
                groups[position].group.runIDs.append(runIDs[index])
            } else {
                groups.append((key, RunGroup(label: label(at: index, settings: settings), runIDs: [runIDs[index]])))
            }
        }
        return groups.sorted { Self.precedes($0.key, $1.key) }.map(\.group)
    }

    /// Whether one group's values come before another's: setting by setting, in the order of SQLite's
    /// ORDER BY (nothing first, then numbers by size, then text).
    private static func precedes(_ a: [SQLiteValue], _ b: [SQLiteValue]) -> Bool {
        for (x, y) in zip(a, b) where x != y {
            if SQLiteOrder.less(x, y) { return true }
            if SQLiteOrder.less(y, x) { return false }
        }
        return false
    }
}

/// Runs that share their values of some settings (`--group-by`), named by those values.
public struct RunGroup: Sendable, Equatable {
    /// `lr=0.1`, or `lr=0.1 batch_size=2`.
    public let label: String
    /// The group's runs.
    public var runIDs: [Int64]
}
