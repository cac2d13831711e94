import PostgresDB
import SQLiteDB

/// The team store read in place: a temporary gradlog database that holds what one reading command
/// needs of the store, streamed from it by COPY, so that `runs`, `show`, `report`, `compare`, `diff`,
/// `plot` and `sweep show` read a store with the very code that reads a file and print the same bytes.
///
/// It starts with the catalog: every run's row (under the store's ids), tags and parameters, and the
/// few rows listings read besides (a running run's last step, its first checked block); metrics'
/// latest rows when a listing or a report asks for them. `load` adds every row of the runs a
/// command names. A report's table is
/// not copied at all: `RunCatalog.streamReport` streams it from the server (`StoreReport`). The file
/// lives in the temporary directory, without a journal, and is deleted when the snapshot goes (a
/// killed command's is removed by the next one), so memory stays flat however large the runs.
public final class StoreSnapshot {
    /// The store read.
    public let team: TeamStore
    /// The temporary database, which owns this snapshot (commands hold the `Store`).
    private unowned let store: Store
    private let file: SideFile
    private var loaded: Set<Int64> = []
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
        let list = missing.map(String.init).joined(separator: ", ")
        // The catalog's rows of these runs (a last step, a latest metric) make way for all of them.
        let queries = (["runs"] + TransferTable.all.map(\.name)).map { table in
            (table, "WHERE \(Self.runColumn(of: table)) IN (\(list))")
        }
        try store.attempt {
            for (table, condition) in queries { try store.db.run("DELETE FROM \(table) \(condition)") }
        }
        try copy(queries)
        loaded.formUnion(missing)
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
        ("steps", "WHERE (run_id, step) IN (SELECT run_id, max(step) FROM steps WHERE run_id IN "
            + "(SELECT id FROM runs WHERE status = 'running') GROUP BY run_id)"),
        ("gradient_blocks", "WHERE (run_id, block) IN (SELECT run_id, min(block) FROM gradient_blocks WHERE checks > 0 GROUP BY run_id)"),
    ]

    /// Streams each table's chosen rows into the snapshot, in one read-only transaction of the store.
    private func copy(_ queries: [(table: String, condition: String)], ignoringDuplicates: Bool = false) throws(TrackerError) {
        let connection = team.connection
        try team.attempt {
            try connection.transaction("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY") {
                try store.attempt {
                    if queries.contains(where: { $0.table == "runs" }) {
                        staleRuns = Set(try connection.query("SELECT id FROM runs WHERE \(StaleRun.statusSQL) = '\(StaleRun.shownStatus)'")
                            .rows.compactMap { $0[0].flatMap { Int64($0) } })
                    }
                    try store.db.transaction(.immediate) {
                        for (table, condition) in queries {
                            let columns = [TransferTable.Column(name: Self.runColumn(of: table), type: "INTEGER")]
                                + (try TransferTable.columns(of: table, in: store.db))
                            let list = columns.map(\.name).joined(separator: ", ")
                            let order = try TransferTable.primaryKey(of: table, in: store.db).joined(separator: ", ")
                            _ = try StoreRows.copy("SELECT \(list) FROM \(table) \(condition) ORDER BY \(order)", from: connection,
                                                   into: table, columns: columns, db: store.db, ignoringDuplicates: ignoringDuplicates)
                        }
                    }
                }
            }
        }
    }
}
