import SQLiteDB

/// How far a run has come: its row in `runs`, read by the key, which a live view polls cheaply.
public struct RunState: Equatable, Sendable {
    /// `running`, `finished`, `failed`, `crashed` or `interrupted` (a run whose process is gone shows as crashed).
    public let status: String
    /// The steps logged (`runs.step_count`).
    public let steps: Int64
    /// The epochs logged (`runs.epoch_count`).
    public let epochs: Int64
    /// The time of the run's latest commit (`heartbeat_at`), nil before its first.
    public let heartbeat: String?
    /// The loss the run ended with, nil while it trains.
    public let finalLoss: Double?

    /// A run's state from its row's values.
    public init(status: String, steps: Int64, epochs: Int64, heartbeat: String?, finalLoss: Double?) {
        (self.status, self.steps, self.epochs, self.heartbeat, self.finalLoss) = (status, steps, epochs, heartbeat, finalLoss)
    }
}

/// One logged step as a live view draws it.
public struct StepPoint: Equatable, Sendable {
    public let step: Int64
    public let epoch: Int64
    /// The loss, nil when it was not a number.
    public let loss: Double?

    /// A step at `step` of epoch `epoch` with `loss`.
    public init(step: Int64, epoch: Int64, loss: Double?) {
        (self.step, self.epoch, self.loss) = (step, epoch, loss)
    }
}

extension RunCatalog {
    /// Whether run `runID` exists.
    public func exists(_ runID: Int64) throws(TrackerError) -> Bool {
        try store.attempt { try store.db.scalar("SELECT count(*) FROM runs WHERE id = ?", [.integer(runID)]) == .integer(1) }
    }

    /// The run's progress, nil when there is no such run.
    public func progress(of runID: Int64) throws(TrackerError) -> RunState? {
        try store.attempt {
            guard let row = try store.db.namedRows(
                "SELECT status, step_count, epoch_count, heartbeat_at, final_loss FROM runs WHERE id = ?",
                [.integer(runID)]).first else { return nil }
            let status: String = try row["status"]
            let crashed = status == RunStatus.running.rawValue && store.unmarkedCrashedRuns.contains(runID)
            return RunState(status: crashed ? RunStatus.crashed.rawValue : status, steps: try row["step_count"],
                               epochs: try row["epoch_count"], heartbeat: try row["heartbeat_at"], finalLoss: try row["final_loss"])
        }
    }

    /// The run's steps after step `after`, in order, at most `limit` of them, found by the key of `steps`.
    public func steps(of runID: Int64, after: Int64, limit: Int) throws(TrackerError) -> [StepPoint] {
        try store.attempt {
            try store.db.namedRows(
                "SELECT step, epoch, loss FROM steps WHERE run_id = ? AND step > ? ORDER BY step LIMIT ?",
                [.integer(runID), .integer(after), .integer(Int64(limit))]
            ).map { row in StepPoint(step: try row["step"], epoch: try row["epoch"], loss: try row["loss"]) }
        }
    }

    /// The per-epoch report's rows (as `gradlog report` gives them) of the epochs after `after`,
    /// leaving out the first `offset` of those and giving at most `limit`: a page of the table, or
    /// the rows a live view does not have yet.
    public func streamEpochReport(
        of runID: Int64, after: Int64 = 0, offset: Int = 0, limit: Int,
        columns: ([String]) throws -> Void, row: ([SQLiteValue]) throws -> Void
    ) throws {
        let names = try reportParameters(.epochs, of: runID, matching: nil)
        let report = ReportTemplate.subquery(ReportTemplate(.epochs, parameterCount: names.count)
            .sql(parameters: names, metrics: try metricNames(.epochs, of: runID)))
        let sql = "SELECT * FROM (\n\(report)\n) WHERE epoch > :after LIMIT :limit OFFSET :offset"
        // A late page of a long run: OFFSET would compute every report row before it (15 s for the
        // last page of 10,000,000 epochs), so whole blocks of epochs are skipped by their counts.
        let (after, offset) = after == 0 && offset > 0 ? try skipping(offset, epochsOf: runID) : (after, offset)
        let statement = try store.attempt {
            let statement = try store.db.prepare(sql)
            for (name, value) in [(":run", runID), (":after", after), (":limit", Int64(limit)), (":offset", Int64(offset))] {
                if let index = statement.parameterIndex(name) { try statement.bind(value, at: index) }
            }
            return statement
        }
        try columns(statement.columnNames)
        while try store.attempt({ try statement.step() }) { try row(statement.row()) }
    }

    /// Where the `position`-th epoch (from 0) of a run is found: after the last epoch of the whole
    /// `epoch_blocks` before it, with `offset` epochs left to skip (fewer than a block's, or the
    /// epochs of a running run after its last block).
    private func skipping(_ position: Int, epochsOf runID: Int64) throws(TrackerError) -> (after: Int64, offset: Int) {
        try store.attempt {
            let blocks = try store.db.prepare("SELECT epochs, last_epoch FROM epoch_blocks WHERE run_id = ? ORDER BY block")
            try blocks.bind(runID, at: 1)
            let (epochs, last) = try (blocks.column(named: "epochs"), blocks.column(named: "last_epoch"))
            var (after, skipped) = (Int64(0), 0)
            while try blocks.step() {
                let count = try blocks.decode(Int.self, at: epochs)
                guard count > 0, skipped + count <= position else { break }
                (after, skipped) = (try blocks.decode(Int64.self, at: last), skipped + count)
            }
            return (after, position - skipped)
        }
    }

    /// The columns of `overview`, in order: `gradlog runs`' key settings (with a network's hidden
    /// layers and activation), then progress and figures.
    public static let overviewColumns = ["id", "name", "status", "dataset", "lr", "epochs", "hidden", "activation", "steps", "epoch"]
        + ProgressColumns.names + ["final_loss", "accuracy", "gradient_check", "started_at", "user"]

    /// The columns of `overview` that change while a run trains, which a live view updates.
    public static let liveColumns = ["status", "steps", "epoch"] + ProgressColumns.names + ["final_loss", "accuracy", "gradient_check"]

    /// The runs that pass `filter` (with its limit and offset: a page), one row each
    /// (`overviewColumns`), as the web app's runs page lists them.
    public func overview(_ filter: RunFilter) throws(TrackerError) -> Table {
        let (whereClause, values) = filter.whereClause()
        var table = try query(
            """
            SELECT id, name, status, dataset, lr, epochs, hidden, activation, step_count AS steps, epoch_count AS epoch,
                   \(ProgressColumns.selection),
                   final_loss, final_accuracy AS accuracy, \(Self.gradientCheckSQL) AS gradient_check, started_at,
                   run_by AS user
            FROM runs \(whereClause) \(filter.orderClause)
            """, values)
        let (id, status) = (table.columns.firstIndex(of: "id"), table.columns.firstIndex(of: "status"))
        table.rows = table.rows.map { row in
            let crashed = id.flatMap { row[$0].int64Value }.map { store.unmarkedCrashedRuns.contains($0) } ?? false
            var shown = ProgressColumns.shown(row, columns: table.columns, crashed: crashed)
            if crashed, let status { shown[status] = .text(RunStatus.crashed.rawValue) }
            return shown
        }
        return table
    }

    /// The progress of each of the runs `ids` that exists, read by the key in one statement: what a
    /// live view of many runs compares from one poll to the next before it reads a row again.
    public func progress(of ids: [Int64]) throws(TrackerError) -> [Int64: RunState] {
        guard !ids.isEmpty else { return [:] }
        let marks = Array(repeating: "?", count: ids.count).joined(separator: ", ")
        return try store.attempt {
            var states: [Int64: RunState] = [:]
            for row in try store.db.namedRows(
                "SELECT id, status, step_count, epoch_count, heartbeat_at, final_loss FROM runs WHERE id IN (\(marks))",
                ids.map { .integer($0) }) {
                let id: Int64 = try row["id"], status: String = try row["status"]
                let crashed = status == RunStatus.running.rawValue && store.unmarkedCrashedRuns.contains(id)
                states[id] = RunState(status: crashed ? RunStatus.crashed.rawValue : status, steps: try row["step_count"],
                                      epochs: try row["epoch_count"], heartbeat: try row["heartbeat_at"], finalLoss: try row["final_loss"])
            }
            return states
        }
    }

    /// The highest run id, 0 in an empty file: where a live view of the runs starts.
    public func lastRunID() throws(TrackerError) -> Int64 {
        try store.attempt { try store.db.scalar("SELECT coalesce(max(id), 0) FROM runs")?.int64Value ?? 0 }
    }

    /// How many runs pass `filter` (its limit and offset aside).
    public func count(matching filter: RunFilter) throws(TrackerError) -> Int {
        let (whereClause, values) = filter.whereClause()
        return try store.attempt { Int(try store.db.column(Int64.self, "SELECT count(*) FROM runs \(whereClause)", values).first ?? 0) }
    }

    /// The tags of the runs `ids`, by run, each run's in the order of their keys.
    public func tags(of ids: [Int64]) throws(TrackerError) -> [Int64: [(key: String, value: String)]] {
        guard !ids.isEmpty else { return [:] }
        let marks = Array(repeating: "?", count: ids.count).joined(separator: ", ")
        return try store.attempt {
            var tags: [Int64: [(key: String, value: String)]] = [:]
            for row in try store.db.namedRows(
                "SELECT run_id, key, value FROM tags WHERE run_id IN (\(marks)) ORDER BY run_id, key", ids.map { .integer($0) }) {
                tags[try row["run_id"], default: []].append((key: try row["key"], value: try row["value"]))
            }
            return tags
        }
    }
}
