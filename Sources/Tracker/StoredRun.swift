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
            "SELECT status, dataset, loss, lr, epochs, batch_size, seed, eps, atol, rtol FROM runs WHERE id = ?",
            [.integer(id)]).first
        else { throw TrackerError.runNotFound(String(id)) }
        let params = try db.rows(
            "SELECT param, feature, initial, final FROM params WHERE run_id = ? ORDER BY position", [.integer(id)])
        if let bad = params.lazy.map({ $0[0].stringValue ?? "" }).first(where: { !ParameterName.isValid($0) }) {
            throw TrackerError.badParameterName(path: path, runID: id, name: bad)
        }
        let labels = try db.rows("SELECT y FROM samples WHERE run_id = ? ORDER BY sample", [.integer(id)])
        let inputs = try db.rows(
            "SELECT x FROM sample_inputs WHERE run_id = ? ORDER BY sample, input", [.integer(id)])
        // A file edited by hand may lack rows; say so rather than build samples that do not add up.
        guard params.count >= 2,
              inputs.count == labels.count * (params.count - 1)
        else {
            throw TrackerError.inconsistentRun(
                path: path, runID: id,
                problem: "it has \(labels.count) samples with \(inputs.count) input values for \(params.count) parameters")
        }
        let dataset = Dataset(
            name: run[1].stringValue ?? "", featureNames: params.dropLast().map { $0[1].stringValue ?? "" },
            inputs: inputs.map { $0[0].losslessDouble ?? .nan }, labels: labels.map { $0[0].losslessDouble ?? .nan })
        var config = TrainingConfig()
        config.loss = Loss(rawValue: run[2].stringValue ?? "") ?? .stable
        config.learningRate = run[3].losslessDouble ?? .nan
        config.epochs = Int(run[4].int64Value ?? 0)
        config.batchSize = Int(run[5].int64Value ?? 0)
        config.seed = UInt64(run[6].int64Value ?? 0)
        config.eps = run[7].losslessDouble ?? .nan
        config.check = GradientCheck(atol: run[8].losslessDouble ?? .nan, rtol: run[9].losslessDouble ?? .nan)
        let initial = params.map { $0[2].losslessDouble ?? .nan }
        config.weights = Array(initial.dropLast())
        config.bias = initial.last
        return StoredRun(
            id: id, status: run[0].stringValue ?? "", dataset: dataset, config: config,
            parameterNames: params.map { $0[0].stringValue ?? "" }, finals: params.map { $0[3] })
    }

    /// True for runs that ended on their own, whose log must hold every step of a re-run.
    var endedOnItsOwn: Bool { status == RunStatus.finished.rawValue || status == RunStatus.diverged.rawValue }
}
