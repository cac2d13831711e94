import SQLiteDB

/// One table of a run's rows as push and pull copy it between SQLite and PostgreSQL, which name
/// its stored columns alike.
struct TransferTable {
    /// How a copy that already holds some of a run's rows is brought up to date.
    enum Refresh {
        /// Rows are only ever added, with larger values of this key column (steps, epochs, blocks).
        case appendAfter(String)
        /// A few rows that change only as the run ends (final parameter values): replaced whole.
        case replace
        /// A few text rows that may change any time (tags): replaced whole when they differ.
        case replaceWhenChanged
        /// Written once when the run starts (its dataset): copied when the copy has none.
        case once

        /// Whether rewriting the rows means they differed (and so the run was updated).
        var isCompared: Bool {
            if case .replaceWhenChanged = self { true } else { false }
        }
    }

    /// The table's name in both databases.
    let name: String
    /// How its rows are refreshed.
    let refresh: Refresh

    /// The tables of a run's rows besides `runs`, in an order that respects foreign keys.
    static let all: [TransferTable] = [
        .init(name: "tags", refresh: .replaceWhenChanged),
        .init(name: "params", refresh: .replace),
        .init(name: "samples", refresh: .once),
        .init(name: "sample_inputs", refresh: .once),
        .init(name: "steps", refresh: .appendAfter("step")),
        .init(name: "gradients", refresh: .appendAfter("step")),
        .init(name: "step_metrics", refresh: .appendAfter("step")),
        .init(name: "epochs", refresh: .appendAfter("epoch")),
        .init(name: "gradient_blocks", refresh: .appendAfter("block")),
        .init(name: "epoch_blocks", refresh: .appendAfter("block")),
    ]

    /// The tables of summaries computed from a run's other rows (`GradientBlocks`, `EpochBlocks`):
    /// push sends them, but merge and pull compute them from the rows they copy, so that what
    /// charts read agrees with those rows.
    static let summaries: Set<String> = ["gradient_blocks", "epoch_blocks"]

    /// Writes the summaries of run `runID` from its rows, after those already stored.
    static func completeSummaries(of runID: Int64, in db: Database) throws {
        try GradientBlocks.complete(runID, in: db)
        try EpochBlocks.complete(runID, in: db)
    }

    /// A stored column and SQLite's declared type of it (INTEGER, REAL or TEXT in gradlog's STRICT tables).
    struct Column {
        let name: String
        let type: String
    }

    /// The stored (not generated) columns of `table` in the SQLite database, without `run_id` and `runs.id`.
    static func columns(of table: String, in db: Database) throws -> [Column] {
        try db.namedRows("SELECT name, type FROM pragma_table_info(?, 'main') ORDER BY cid", [.text(table)]).compactMap { row in
            let name: String = try row["name"]
            guard name != "run_id", !(table == "runs" && name == "id") else { return nil }
            return Column(name: name, type: (try row["type"] as String).uppercased())
        }
    }

    /// The columns of `table`'s primary key in the SQLite database, in the key's order: rows sent
    /// in this order go into a keyed table at the end of its B-tree.
    static func primaryKey(of table: String, in db: Database) throws -> [String] {
        try db.column(String.self, "SELECT name FROM pragma_table_info(?, 'main') WHERE pk > 0 ORDER BY pk", [.text(table)])
    }
}
