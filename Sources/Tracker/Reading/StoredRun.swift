import SQLiteDB
import Training

/// A run as the database holds it: enough to train it again without the original data file.
struct StoredRun {
    let id: Int64
    let status: String
    let dataset: Dataset
    let config: TrainingConfig
    let parameterNames: [String]
    /// The final parameters as logged (NaN where none was recorded or it was NaN).
    let finals: [Double]

    /// Reads run `id`'s hyperparameters, samples and starting parameters.
    static func load(_ id: Int64, from db: Database, path: String) throws -> StoredRun {
        guard let run = try db.namedRows("SELECT * FROM runs WHERE id = ?", [.integer(id)]).first else {
            throw TrackerError.runNotFound(String(id))
        }
        // A file edited by hand may lack rows or hold odd names: refused before samples are built.
        try RunConsistency.check(id, in: db, schemaName: "main", path: path, steps: false)
        let params = try db.namedRows(
            "SELECT param, initial, final FROM params WHERE run_id = ? ORDER BY position", [.integer(id)])
        let labels = try db.rows("SELECT y FROM samples WHERE run_id = ? ORDER BY sample", [.integer(id)])
        let inputs = try db.rows(
            "SELECT x FROM sample_inputs WHERE run_id = ? ORDER BY sample, input", [.integer(id)])
        let features = try db.rows(
            "SELECT feature FROM params WHERE run_id = ? AND layer = 1 AND unit = 1 AND input IS NOT NULL ORDER BY input",
            [.integer(id)])
        let dataset = Dataset(
            name: run["dataset"].stringValue ?? "",
            featureNames: features.map { $0[0].stringValue ?? "" },
            inputs: inputs.map { Measured.number($0[0]) ?? .nan },
            labels: labels.map { Double($0[0].int64Value ?? -1) })
        func fail(_ problem: String) -> TrackerError { .inconsistentRun(path: path, runID: id, problem: problem) }
        var config = TrainingConfig()
        if let column = RunSettings.read(run, into: &config) { throw fail("its \(column) is not a value gradlog writes") }
        let initial = params.map { Measured.number($0["initial"]) ?? .nan }
        if config.hidden.isEmpty {
            config.weights = Array(initial.dropLast())
            config.bias = initial.last
        } else {
            config.initialValues = initial
        }
        // The same checks as for a new run, so that re-running it cannot trap.
        let problems = config.problems(for: dataset)
        guard problems.isEmpty else { throw TrackerError.storedConfig(path: path, runID: id, problems) }
        return StoredRun(
            id: id, status: run["status"].stringValue ?? "", dataset: dataset, config: config,
            parameterNames: params.map { $0["param"].stringValue ?? "" },
            finals: params.map { Measured.number($0["final"]) ?? .nan })
    }

    /// True for runs that ended on their own, whose log must hold every step of a re-run.
    var endedOnItsOwn: Bool { status == RunStatus.finished.rawValue || status == RunStatus.diverged.rawValue }

    /// True once the run has ended, so that its final parameters were recorded.
    var hasEnded: Bool { status != RunStatus.running.rawValue && status != RunStatus.failed.rawValue }
}
