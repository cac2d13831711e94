import PostgresDB
import SQLiteDB
import Training

/// Copies runs of the PostgreSQL team store into a local gradlog database: `gradlog pull`.
///
/// Runs are matched by uuid and get new local ids. Each run is read in one repeatable-read
/// transaction of the store into a new file beside the database, then merged in as `gradlog merge`
/// merges a file: its rows checked before anything is written, its blocks computed from its rows,
/// in one short transaction, so a pull that is killed or refused leaves this file as it was and a
/// training run writing to the same file waits for seconds, not for the download. A copy here with
/// fewer steps is completed from the store's. A run the store holds as `running` is skipped: only
/// the machine that trains it can end it, by pushing again; its outcome shows it `stale` when its
/// pushes stopped (`StaleRun`).
public enum RunPuller {

    /// What to pull: every run, the runs with a tag, or runs by uuid (or a unique prefix of 4+ characters).
    public enum Selection: Sendable {
        case all
        /// The runs that have every one of these tags.
        case tags([(key: String, value: String)])
        case uuids([String])
    }

    /// Pulls the runs with these store ids (`select`) and returns one row per run: `pulled` (new here), `replaced` (this
    /// file's copy was shorter), `unchanged`, or `skipped` (still running in the store, or training
    /// here, or this file's copy has more steps).
    public static func pull(_ ids: [Int64], from team: TeamStore, into store: Store) throws(TrackerError) -> [TransferOutcome] {
        let target = store.path == ":memory:" ? "./memory.db" : store.path
        SideFile.removeLeftovers(besideDatabase: target, kind: sideFileKind)
        var outcomes: [TransferOutcome] = []
        for storeID in ids {
            let outcome = try team.attempt {
                try team.connection.transaction(TeamStore.readingSnapshot) {
                    try store.attempt { try pullRun(storeID, from: team.connection, into: store, besideDatabase: target) }
                }
            }
            outcomes.append(outcome)
        }
        return outcomes
    }

    /// The kind of side file a run is downloaded into before it is merged.
    static let sideFileKind = "pull"

    /// The store's ids of the selected runs, in the store's order; an unknown uuid, or tags no run
    /// has, is an error (before anything is written here).
    public static func select(_ selection: Selection, in team: TeamStore) throws(TrackerError) -> [Int64] {
        let ids = try team.attempt { try storeIDs(selection, in: team) }
        if ids.isEmpty, case .tags(let tags) = selection {
            throw .teamStore(url: team.url, problem: .noRunWithTags(tags.map { "\($0.key)=\($0.value)" }))
        }
        return ids
    }

    private static func storeIDs(_ selection: Selection, in team: TeamStore) throws -> [Int64] {
        let connection = team.connection
        switch selection {
        case .all:
            return try connection.query("SELECT id FROM runs ORDER BY id").integers()
        case .tags(let tags):
            // One EXISTS per tag: $1, $2 for the first, $3, $4 for the next, …
            let conditions = tags.indices.map { "EXISTS (SELECT 1 FROM tags WHERE run_id = runs.id AND key = $\(2 * $0 + 1) AND value = $\(2 * $0 + 2))" }
            return try connection.query(
                "SELECT id FROM runs WHERE \(conditions.joined(separator: " AND ")) ORDER BY id", tags.flatMap { [$0.key, $0.value] }
            ).integers()
        case .uuids(let references):
            var ids: [Int64] = []
            for reference in references {
                // A prefix matches by text comparison, so LIKE's wildcards in it mean nothing.
                let matches = try connection.query(
                    "SELECT id FROM runs WHERE uuid = $1 OR (length($1) >= 4 AND left(uuid, length($1)) = $1) ORDER BY id LIMIT 2",
                    [reference.lowercased()]
                ).integers()
                guard let first = matches.first else { throw TrackerError.teamStore(url: team.url, problem: .runNotFound(reference)) }
                guard matches.count == 1 else {
                    throw TrackerError.teamStore(url: team.url, problem: .ambiguousRun(reference, count: matches.count))
                }
                if !ids.contains(first) { ids.append(first) }
            }
            return ids
        }
    }

    /// Pulls one run: decides from the rows of both sides, downloads it into a side file beside the
    /// database (holding no lock on it while the server sends the rows), then merges that file in, as
    /// `merge` does: one short transaction, the run's rows checked first and its blocks recomputed.
    private static func pullRun(_ storeID: Int64, from connection: PostgresConnection, into store: Store,
                                besideDatabase target: String) throws -> TransferOutcome {
        let runColumns = try TransferTable.columns(of: "runs", in: store.db)
        // The row and, last, the status to show: `stale` for a running run whose pushes stopped.
        guard let remote = try connection.query(
            "SELECT \(runColumns.map(\.name).joined(separator: ", ")), \(StaleRun.statusSQL) AS shown_status FROM runs WHERE id = $1",
            [String(storeID)]
        ).namedRows.first else { throw PostgresError(sqlState: nil, message: "run \(storeID) vanished from the store") }
        let shownStatus = try remote["shown_status"] ?? ""
        let values = try runColumns.map { column in
            try StoreRows.value(remote[column.name].map { Array($0.utf8) }, as: column, table: "runs")
        }
        let named = SQLiteRow(columns: runColumns.map(\.name), values: values)
        let (uuid, name, status, remoteSteps): (String, String, String, Int64) =
            try (named["uuid"], named["name"], named["status"], named["step_count"])
        func result(_ action: TransferAction, _ id: Int64?, _ copied: Int) -> TransferOutcome {
            TransferOutcome(action: action, uuid: uuid, sourceID: storeID, targetID: id, name: name, status: shownStatus,
                            steps: remoteSteps, rows: copied)
        }
        // Only the machine that trains a run ends it: a copy taken while it runs would be swept as
        // crashed here and could be pushed back with a partial last epoch and block. A stale run too:
        // its machine may come back and push the rest, which a copy here marked crashed would refuse.
        if status == RunStatus.running.rawValue { return result(.skipped, nil, 0) }
        let local = try store.db.namedRows("SELECT id, status, step_count FROM runs WHERE uuid = ?", [.text(uuid)]).first
        if let local {
            let (localID, localStatus, localSteps): (Int64, String, Int64) = try (local["id"], local["status"], local["step_count"])
            if localStatus == RunStatus.running.rawValue || localSteps > remoteSteps { return result(.skipped, localID, 0) }
            if localSteps == remoteSteps { return result(.unchanged, localID, 0) }
        }
        let side = SideFile(besideDatabase: target, kind: sideFileKind)
        defer { side.remove() }
        let copied = try download(storeID, values: values, columns: runColumns, from: connection, into: side.path)
        let merged = try RunMerger.merge(from: side.path, into: store).first
        if merged?.action == .refused { return result(.refused, merged?.targetID, 0) }
        return result(local == nil ? .pulled : .replaced, merged?.targetID, copied)
    }

    /// Writes the run's row and every row of it into a new gradlog database at `path`; returns how many rows.
    private static func download(_ storeID: Int64, values: [SQLiteValue], columns: [TransferTable.Column],
                                 from connection: PostgresConnection, into path: String) throws -> Int {
        let copy = try Store(path: path, access: .write)
        return try copy.db.transaction(.immediate) {
            let names = columns.map(\.name)
            let placeholders = Array(repeating: "?", count: names.count).joined(separator: ", ")
            try copy.db.run("INSERT INTO runs (\(names.joined(separator: ", "))) VALUES (\(placeholders))", values)
            let id = copy.db.lastInsertRowID
            var rows = 0
            for table in TransferTable.all where !TransferTable.summaries.contains(table.name) {
                rows += try self.copy(table.name, run: storeID, into: id, from: connection, db: copy.db)
            }
            return rows
        }
    }

    /// Streams the store's rows of `table` for the run into this file's table.
    private static func copy(_ table: String, run storeID: Int64, into id: Int64, from connection: PostgresConnection,
                             db: Database) throws -> Int {
        let columns = try TransferTable.columns(of: table, in: db)
        let list = columns.map(\.name).joined(separator: ", ")
        return try StoreRows.copy("SELECT \(id), \(list) FROM \(table) WHERE run_id = \(storeID)", from: connection,
                                  into: table, columns: [TransferTable.Column(name: "run_id", type: "INTEGER")] + columns, db: db)
    }
}
