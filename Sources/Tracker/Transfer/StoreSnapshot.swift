import PostgresDB
import SQLiteDB

/// The team store read in place: a temporary gradlog database that holds what one reading command
/// needs of the store, streamed from it by COPY, so that `runs`, `show`, `report`, `compare`, `diff`,
/// `plot` and `sweep show` read a store with the very code that reads a file and print the same bytes.
///
/// It starts with the catalog: every run's row (under the store's ids), tags and parameters, and the
/// few rows listings read besides (a running run's last step, its first checked block); metrics'
/// latest rows when a listing or a report asks for them. `load` adds every row of the runs a
/// command names; `loadOnDemand` (for charts) adds all but their steps, gradients and epochs, whose
/// rows the readers ask for as they need them (`fetch`): the blocks' summaries are copied, and of a
/// long run only the few thousand rows that the summaries leave to read. A report's table is not
/// copied at all: `RunCatalog.streamReport` streams it from the server (`StoreReport`).
///
/// Everything is read in one read-only snapshot of the store, which the command holds from the
/// catalog to its last row, so that rows copied at different moments are of one moment. The file
/// lives in the temporary directory, without a journal, and is deleted when the snapshot goes (a
/// killed command's is removed by the next one), so memory stays flat however large the runs.
public final class StoreSnapshot {
    /// The store read.
    public let team: TeamStore
    /// The temporary database, which owns this snapshot (commands hold the `Store`).
    private unowned let store: Store
    private let file: SideFile
    private var loaded: Set<Int64> = []
    /// The runs whose long tables are copied as readers ask (`loadOnDemand`), and what is copied of each.
    private var onDemand: Set<Int64> = []
    private var fetched: [String: KeyRanges] = [:]
    private var metricNamesLoaded: Set<Int64> = []
    private var latestMetricsLoaded: Set<String> = []
    /// The runs the store holds as `running` whose pushes stopped: shown as `stale` (`StaleRun`).
    public private(set) var staleRuns: Set<Int64> = []

    /// The name the snapshots' side files go by.
    private static let kind = "snapshot"

    /// Copies the store's catalog into a new temporary database in `directory` (the temporary
    /// directory, `$TMPDIR`) and returns it, to read as any gradlog file; it is deleted when the
    /// returned `Store` goes.
    public static func open(_ team: TeamStore, in directory: String) throws(TrackerError) -> Store {
        let anchor = "\(directory.isEmpty ? "/tmp" : directory)/gradlog-store.db"
        SideFile.removeLeftovers(besideDatabase: anchor, kind: kind)
        let file = SideFile(besideDatabase: anchor, kind: kind)
        let store: Store
        do {
            store = try Store(path: file.path, access: .write)
        } catch {
            file.remove()
            throw error
        }
        let snapshot = StoreSnapshot(team: team, store: store, file: file)
        store.snapshot = snapshot
        // The file is this command's alone and thrown away after it: no journal, no syncing, and no
        // foreign keys, since a listing's last step or metric row comes without the rows before it.
        try store.attempt { try store.db.execute("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA foreign_keys = OFF") }
        // No JIT compiling: the queries here are many and short (and a report's stream is a merge of
        // index scans), and compiling costs each tens of milliseconds, more than it saves.
        try team.attempt { try team.connection.execute("SET jit = off; " + TeamStore.readingSnapshot) }
        try snapshot.copy(catalogQueries)
        return store
    }

    private init(team: TeamStore, store: Store, file: SideFile) {
        (self.team, self.store, self.file) = (team, store, file)
    }

    deinit { file.remove() }

    /// Adds every row of these runs (store ids), read in one snapshot of the store.
    public func load(_ ids: [Int64]) throws(TrackerError) {
        let missing = ids.filter { !loaded.contains($0) }
        guard !missing.isEmpty else { return }
        try replaceRows(of: missing, in: ["runs"] + TransferTable.all.map(\.name))
        loaded.formUnion(missing)
        onDemand.subtract(missing)
    }

    /// Adds the rows of these runs (store ids) that are not in their steps, gradients and epochs, the
    /// blocks' summaries included; those three come as readers ask for them (`fetch`). A run with
    /// metrics comes whole (`load`): the readers of metrics have no summaries to read instead.
    public func loadOnDemand(_ ids: [Int64]) throws(TrackerError) {
        let missing = ids.filter { !loaded.contains($0) && !onDemand.contains($0) }
        guard !missing.isEmpty else { return }
        let withMetrics = try team.attempt {
            try team.reading {
                try team.connection.query("SELECT id FROM runs WHERE id IN (\(Self.list(missing))) "
                                          + "AND EXISTS (SELECT 1 FROM step_metrics WHERE run_id = runs.id)")
                    .integers()
            }
        }
        try load(withMetrics)
        let rest = missing.filter { !withMetrics.contains($0) }
        guard !rest.isEmpty else { return }
        let long = Set(LongTable.allCases.map(\.rawValue))
        try replaceRows(of: rest, in: ["runs"] + TransferTable.all.map(\.name).filter { !long.contains($0) })
        onDemand.formUnion(rest)
    }

    /// Whether run `runID`'s steps, gradients and epochs are copied only as readers ask for them.
    public func readsOnDemand(_ runID: Int64) -> Bool {
        onDemand.contains(runID)
    }

    /// Copies the rows of `table` of run `runID` with these keys, unless the run is loaded whole or
    /// they were copied before: what a reader of a run loaded on demand calls before it reads them.
    func fetch(_ table: LongTable, of runID: Int64, _ keys: RowKeys) throws(TrackerError) {
        guard onDemand.contains(runID) else { return }
        let name = table.rawValue, key = table.key
        let selection: String
        switch keys {
        case .ranges(let ranges):
            let missing = fetched[name + " \(runID)", default: KeyRanges()].missing(from: ranges)
            guard !missing.isEmpty else { return }
            // Each range looked up by the key (the subquery fenced off by OFFSET 0: as a join, the
            // planner may scan the whole table once per range), in key order as the ranges are.
            try copy([Selection(name, from: "\(Self.table(of: missing)) CROSS JOIN LATERAL (SELECT * FROM \(name) "
                                    + "WHERE run_id = \(runID) AND \(key) BETWEEN wanted.low AND wanted.high ORDER BY \(key) OFFSET 0) AS \(name)",
                                ordered: false)], ignoringDuplicates: true)
            fetched[name + " \(runID)", default: KeyRanges()].insert(missing)
            return
        case .lastIn(let ranges, let condition):
            guard !ranges.isEmpty else { return }
            selection = "WHERE run_id = \(runID) AND \(key) IN (SELECT (SELECT max(t.\(key)) FROM \(name) AS t "
                + "WHERE t.run_id = \(runID) AND t.\(key) BETWEEN wanted.low AND wanted.high"
                + (condition.map { " AND (\($0))" } ?? "") + ") FROM \(Self.table(of: ranges)))"
        case .selectedBy(let query):
            selection = "WHERE run_id = \(runID) AND \(key) IN (\(query))"
        }
        try copy([(name, selection)], ignoringDuplicates: true)
    }

    /// Runs a query of the store and reads its first row by column name (nil when there is none):
    /// for a figure that a reader of a run loaded on demand would otherwise count from rows it has not copied.
    func row<T>(_ sql: String, _ read: (PostgresRow) throws(PostgresError) -> T) throws(TrackerError) -> T? {
        try team.attempt { try team.reading { try team.connection.query(sql).namedRows.first.map(read) } }
    }

    /// Runs a query of the store and reads each of its rows by column name: for figures that a
    /// reader of a run loaded on demand has the server sum up rather than copy rows for.
    func rows(_ sql: String, each read: (PostgresRow) throws(PostgresError) -> Void) throws(TrackerError) {
        try team.attempt { try team.reading { try team.connection.query(sql).namedRows.forEach(read) } }
    }

    /// Ranges of keys as a table `wanted (low, high)` for PostgreSQL's FROM.
    static func table(of ranges: [ClosedRange<Int64>]) -> String {
        table(["low": ranges.map(\.lowerBound), "high": ranges.map(\.upperBound)])
    }

    /// Columns of integers, all of one length, as a table `wanted` for PostgreSQL's FROM.
    static func table(_ columns: KeyValuePairs<String, [Int64]>) -> String {
        let arrays = columns.map { "'{" + $0.value.map(String.init).joined(separator: ",") + "}'::int8[]" }
        return "unnest(\(arrays.joined(separator: ", "))) AS wanted (\(columns.map(\.key).joined(separator: ", ")))"
    }

    /// Replaces these runs' rows of `tables` in the snapshot with the store's.
    private func replaceRows(of ids: [Int64], in tables: [String]) throws(TrackerError) {
        // The catalog's rows of these runs (a last step, a latest metric) make way for all of them.
        let queries = tables.map { table in (table, "WHERE \(Self.runColumn(of: table)) IN (\(Self.list(ids)))") }
        try store.attempt {
            for (table, condition) in queries { try store.db.run("DELETE FROM \(table) \(condition)") }
        }
        try copy(queries)
    }

    /// Run ids as SQL's list.
    private static func list(_ ids: [Int64]) -> String {
        ids.map(String.init).joined(separator: ", ")
    }

    /// Adds the latest row of each metric of one run (store id), which tell its metrics' names.
    public func loadMetricNames(of runID: Int64) throws(TrackerError) {
        guard !loaded.contains(runID), metricNamesLoaded.insert(runID).inserted else { return }
        try copy([("step_metrics", "WHERE (run_id, name, step) IN (SELECT run_id, name, max(step) FROM step_metrics "
                   + "WHERE run_id = \(runID) GROUP BY run_id, name)")], ignoringDuplicates: true)
    }

    /// Adds every run's latest row of each of these metrics, for a listing that shows them.
    public func loadLatestMetrics(named names: [String]) throws(TrackerError) {
        let missing = names.filter { latestMetricsLoaded.insert($0).inserted }
        guard !missing.isEmpty else { return }
        let list = missing.map(ReportTemplate.literal).joined(separator: ", ")
        try copy([("step_metrics", "WHERE (run_id, name, step) IN (SELECT run_id, name, max(step) FROM step_metrics "
                   + "WHERE name IN (\(list)) GROUP BY run_id, name)")], ignoringDuplicates: true)
    }

    /// The column that names a row's run: `runs.id`, every other table's `run_id`.
    private static func runColumn(of table: String) -> String {
        table == "runs" ? "id" : "run_id"
    }

    /// The catalog: each table with the condition (and order) its rows are chosen by.
    private static let catalogQueries: [(table: String, condition: String)] = [
        ("runs", ""),
        ("tags", ""),
        ("params", ""),
        // What listings and sweeps show besides: a running run's latest loss, and whether any of its
        // blocks holds a gradient check. Metrics come when asked for (`loadLatestMetrics`): finding
        // each run's latest value of each one reads every metric row of the store.
        // Each run's by its key (a subquery per run), not by grouping every row of the table.
        ("steps", "WHERE (run_id, step) IN (SELECT r.id, (SELECT max(s.step) FROM steps AS s WHERE s.run_id = r.id) "
            + "FROM runs AS r WHERE r.status = 'running')"),
        ("gradient_blocks", "WHERE (run_id, block) IN (SELECT r.id, (SELECT min(g.block) FROM gradient_blocks AS g "
            + "WHERE g.run_id = r.id AND g.checks > 0) FROM runs AS r)"),
    ]

    /// Rows of one table to copy: those `FROM` chooses (the table and a condition, or a query
    /// whose columns are the table's), in the table's key order unless the query gives them so.
    private struct Selection {
        let table: String
        let from: String
        var ordered = true

        init(_ table: String, _ condition: String) {
            (self.table, from) = (table, "\(table) \(condition)")
        }

        init(_ table: String, from: String, ordered: Bool) {
            (self.table, self.from, self.ordered) = (table, from, ordered)
        }
    }

    /// Streams each table's chosen rows into the snapshot, in the command's snapshot of the store.
    private func copy(_ queries: [(table: String, condition: String)], ignoringDuplicates: Bool = false) throws(TrackerError) {
        try copy(queries.map { Selection($0.table, $0.condition) }, ignoringDuplicates: ignoringDuplicates)
    }

    private func copy(_ selections: [Selection], ignoringDuplicates: Bool = false) throws(TrackerError) {
        let connection = team.connection
        try team.attempt {
            try team.reading {
                try store.attempt {
                    if selections.contains(where: { $0.table == "runs" }) {
                        staleRuns = Set(try connection.query("SELECT id FROM runs WHERE \(StaleRun.statusSQL) = '\(StaleRun.shownStatus)'")
                            .integers())
                    }
                    try store.db.transaction(.immediate) {
                        for selection in selections {
                            let table = selection.table
                            let columns = [TransferTable.Column(name: Self.runColumn(of: table), type: "INTEGER")]
                                + (try TransferTable.columns(of: table, in: store.db))
                            let list = columns.map(\.name).joined(separator: ", ")
                            let order = try TransferTable.primaryKey(of: table, in: store.db).joined(separator: ", ")
                            _ = try StoreRows.copy("SELECT \(list) FROM \(selection.from)" + (selection.ordered ? " ORDER BY \(order)" : ""),
                                                   from: connection, into: table, columns: columns, db: store.db,
                                                   ignoringDuplicates: ignoringDuplicates)
                        }
                    }
                }
            }
        }
    }
}
