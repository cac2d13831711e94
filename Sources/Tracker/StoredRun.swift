import SQLiteDB
import Training

/// A run as the database holds it: enough to train it again without the original data file.
struct StoredRun {
    let id: Int64
    let status: String
    let dataset: Dataset
    let config: TrainingConfig
    let parameterNames: [String]
    /// The final parameters as logged, when the run recorded them.
    let finals: [SQLiteValue]

    /// Reads run `id`'s hyperparameters, samples and starting parameters.
    static func load(_ id: Int64, from db: Database, path: String) throws -> StoredRun {
        guard let run = try db.rows(
            "SELECT status, dataset, loss, lr, epochs, batch_size, seed, eps, atol, rtol, config FROM runs WHERE id = ?",
            [.integer(id)]).first
        else { throw TrackerError.runNotFound(String(id)) }
        // A file edited by hand may lack rows or hold odd names: refused before samples are built.
        try RunConsistency.check(id, in: db, schemaName: "main", path: path, steps: false)
        let params = try db.rows(
            "SELECT param, feature, initial, final FROM params WHERE run_id = ? ORDER BY position", [.integer(id)])
        let labels = try db.rows("SELECT y FROM samples WHERE run_id = ? ORDER BY sample", [.integer(id)])
        let inputs = try db.rows(
            "SELECT x FROM sample_inputs WHERE run_id = ? ORDER BY sample, input", [.integer(id)])
        let dataset = Dataset(
            name: run[1].stringValue ?? "", featureNames: params.dropLast().map { $0[1].stringValue ?? "" },
            inputs: inputs.map { $0[0].losslessDouble ?? .nan }, labels: labels.map { $0[0].losslessDouble ?? .nan })
        func fail(_ problem: String) -> TrackerError { .inconsistentRun(path: path, runID: id, problem: problem) }
        var config = TrainingConfig()
        guard let loss = Loss(rawValue: run[2].stringValue ?? "") else { throw fail("its loss is not stable or textbook") }
        config.loss = loss
        config.learningRate = run[3].losslessDouble ?? .nan
        config.epochs = Int(run[4].int64Value ?? 0)
        config.batchSize = Int(run[5].int64Value ?? 0)
        guard let seed = UInt64(exactly: run[6].int64Value ?? -1) else { throw fail("its seed is not a whole number from 0 up") }
        config.seed = seed
        config.eps = run[7].losslessDouble ?? .nan
        config.check = GradientCheck(atol: run[8].losslessDouble ?? .nan, rtol: run[9].losslessDouble ?? .nan)
        // Runs logged before the exact residual have none in their config, and keep the old form.
        config.residual = (run[10].stringValue ?? "").contains("\"residual\": \"exact\"") ? .exact : .difference
        let initial = params.map { $0[2].losslessDouble ?? .nan }
        config.weights = Array(initial.dropLast())
        config.bias = initial.last
        // The same checks as for a new run, so that re-running it cannot trap.
        let problems = config.problems(for: dataset)
        guard problems.isEmpty else {
            throw fail("its configuration is not one gradlog accepts (" + problems.map(\.description).joined(separator: "; ") + ")")
        }
        return StoredRun(
            id: id, status: run[0].stringValue ?? "", dataset: dataset, config: config,
            parameterNames: params.map { $0[0].stringValue ?? "" }, finals: params.map { $0[3] })
    }

    /// True for runs that ended on their own, whose log must hold every step of a re-run.
    var endedOnItsOwn: Bool { status == RunStatus.finished.rawValue || status == RunStatus.diverged.rawValue }
}
