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
        func fail(_ problem: RunInconsistency) -> TrackerError { .inconsistentRun(path: path, runID: id, problem: problem) }
        guard let dataset = try StoredSamples.dataset(of: id, inputCount: try run["inputs"], name: try run["dataset"], in: db) else {
            throw fail(.sampleShape)
        }
        var config = TrainingConfig()
        if let column = try RunSettings.read(run, into: &config) { throw fail(.unwrittenSetting(column: column)) }
        let initial = try params.map { try $0.measured("initial") }
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
            id: id, status: try run["status"], dataset: dataset, config: config,
            parameterNames: try params.map { try $0["param"] },
            finals: try params.map { try $0.measured("final") })
    }

    /// True for runs that ended on their own, whose log must hold every step of a re-run.
    var endedOnItsOwn: Bool { status == RunStatus.finished.rawValue || status == RunStatus.diverged.rawValue }

    /// True once the run has ended, so that its final parameters were recorded.
    var hasEnded: Bool { status != RunStatus.running.rawValue && status != RunStatus.failed.rawValue }
}
