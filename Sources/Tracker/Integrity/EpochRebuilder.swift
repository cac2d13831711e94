import SQLiteDB
import Training

/// Computes `epochs` rows from what a run logged, with the same code as a training run uses:
/// for runs logged before schema v4 (the migration), and for the epoch a killed run was in.
enum EpochRebuilder {
    /// Writes the rows of every epoch of run `runID` after `afterEpoch` that has logged steps.
    ///
    /// An epoch's end-of-epoch parameters are the values its next step started from, or for the
    /// last logged epoch the run's `params.final` (NaN when it has none).
    static func rebuild(_ runID: Int64, in db: Database, afterEpoch: Int = 0) throws {
        guard let model = try model(of: runID, in: db) else { return }
        let writer = try EpochWriter(db, runID: runID)
        let steps = try db.prepare(
            "SELECT step, epoch, loss FROM steps WHERE run_id = ?1 AND epoch > ?2 ORDER BY step")
        try steps.bind([.integer(runID), .integer(Int64(afterEpoch))])
        let checks = try db.prepare(
            """
            SELECT g.value, g.analytic, g.numeric, g.passed FROM gradients AS g
            JOIN params AS p ON p.run_id = g.run_id AND p.param = g.param
            WHERE g.run_id = ?1 AND g.step = ?2 ORDER BY p.position
            """)
        try checks.bind(runID, at: 1)
        var accumulator = EpochAccumulator()
        while try steps.step() {
            let step = Int(steps.int64(at: 0)), epoch = Int(steps.int64(at: 1))
            let rows = try checkRows(checks, step: step)
            if let current = accumulator.epoch, current != epoch {
                // This step starts the next epoch: the values it started from end the previous one.
                try finish(&accumulator, parameters: rows.map(\.value), model: model, writer: writer)
            }
            accumulator.addStep(step, epoch: epoch, loss: Measured.number(steps.value(at: 2)) ?? .nan)
            // A step without a check (`check_every` > 1) has NULL verdicts and adds its loss only.
            for row in rows {
                guard let passed = row.passed else { continue }
                accumulator.addCheck(analytic: row.analytic, numeric: row.numeric, passed: passed == 1)
            }
        }
        try finish(&accumulator, parameters: model.finals, model: model, writer: writer)
    }

    /// What accuracy needs: how to compute it (NaN for a run logged from outside, which has no
    /// model or samples), and the final parameters.
    private struct Snapshot {
        let accuracy: ([Double]) -> Double
        let finals: [Double]
    }

    private static func model(of runID: Int64, in db: Database) throws -> Snapshot? {
        guard let run = try db.namedRows("SELECT * FROM runs WHERE id = ?", [.integer(runID)]).first else { return nil }
        let finals = try db.rows("SELECT final FROM params WHERE run_id = ? ORDER BY position", [.integer(runID)])
            .map { Measured.number($0[0]) ?? .nan }
        if run["source"] == "external" { return Snapshot(accuracy: { _ in .nan }, finals: finals) }
        let inputs = Int(run["inputs"].int64Value ?? 0)
        var config = TrainingConfig()
        // Not a configuration gradlog writes: RunConsistency says so where it matters.
        guard RunSettings.read(run, into: &config) == nil, config.hasValidHiddenLayers else { return nil }
        let model = Model(config, inputCount: inputs)
        let labels = try db.rows("SELECT y FROM samples WHERE run_id = ? ORDER BY sample", [.integer(runID)])
        let x = try db.rows("SELECT x FROM sample_inputs WHERE run_id = ? ORDER BY sample, input", [.integer(runID)])
        guard inputs >= 1, x.count == labels.count * inputs, finals.count == model.parameterNames.count else { return nil }
        let dataset = Dataset(name: "", featureNames: Array(repeating: "", count: inputs),
                              inputs: x.map { Measured.number($0[0]) ?? .nan },
                              labels: labels.map { Double($0[0].int64Value ?? 0) })
        return Snapshot(accuracy: { model.accuracy($0, on: dataset) }, finals: finals)
    }

    /// The step's gradient rows in parameter order.
    private static func checkRows(_ checks: Statement, step: Int) throws
        -> [(value: Double, analytic: Double, numeric: Double, passed: Int64?)] {
        try checks.bind(step, at: 2)
        defer { checks.reset() }
        var rows: [(value: Double, analytic: Double, numeric: Double, passed: Int64?)] = []
        while try checks.step() {
            rows.append((Measured.number(checks.value(at: 0)) ?? .nan, Measured.number(checks.value(at: 1)) ?? .nan,
                         Measured.number(checks.value(at: 2)) ?? .nan, checks.value(at: 3).int64Value))
        }
        return rows
    }

    private static func finish(_ accumulator: inout EpochAccumulator, parameters: [Double], model: Snapshot,
                               writer: EpochWriter) throws {
        let accuracy = parameters.count == model.finals.count ? model.accuracy(parameters) : .nan
        if let summary = accumulator.finish(accuracy: accuracy) { try writer.write(summary) }
    }
}
