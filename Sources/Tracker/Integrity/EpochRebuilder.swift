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
        let columns = try (step: steps.column(named: "step"), epoch: steps.column(named: "epoch"),
                           loss: steps.column(named: "loss"))
        var accumulator = EpochAccumulator()
        while try steps.step() {
            let step = try steps.decode(Int.self, at: columns.step), epoch = try steps.decode(Int.self, at: columns.epoch)
            let rows = try checkRows(checks, step: step)
            if let current = accumulator.epoch, current != epoch {
                // This step starts the next epoch: the values it started from end the previous one.
                try finish(&accumulator, parameters: rows.map(\.value), model: model, writer: writer)
            }
            accumulator.addStep(step, epoch: epoch, loss: try steps.measured(at: columns.loss))
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
        let finals = try db.measuredColumn("SELECT final FROM params WHERE run_id = ? ORDER BY position", [.integer(runID)])
        // `source` came with schema v6; this also runs as the backfill of v4.
        if run.has("source"), try run["source"] as String == "external" { return Snapshot(accuracy: { _ in .nan }, finals: finals) }
        let inputs: Int = try run["inputs"]
        var config = TrainingConfig()
        // Not a configuration gradlog writes: RunConsistency says so where it matters.
        guard try RunSettings.read(run, into: &config) == nil, config.hasValidHiddenLayers else { return nil }
        let model = Model(config, inputCount: inputs)
        guard let dataset = try StoredSamples.dataset(of: runID, inputCount: inputs, name: "", in: db),
              finals.count == model.parameterNames.count else { return nil }
        return Snapshot(accuracy: { model.accuracy($0, on: dataset) }, finals: finals)
    }

    /// The step's gradient rows in parameter order.
    private static func checkRows(_ checks: Statement, step: Int) throws
        -> [(value: Double, analytic: Double, numeric: Double, passed: Int64?)] {
        try checks.bind(step, at: 2)
        defer { checks.reset() }
        var rows: [(value: Double, analytic: Double, numeric: Double, passed: Int64?)] = []
        let columns = try (value: checks.column(named: "value"), analytic: checks.column(named: "analytic"),
                           numeric: checks.column(named: "numeric"), passed: checks.column(named: "passed"))
        while try checks.step() {
            rows.append((try checks.measured(at: columns.value), try checks.measured(at: columns.analytic),
                         try checks.measured(at: columns.numeric), try checks.decode(Int64?.self, at: columns.passed)))
        }
        return rows
    }

    private static func finish(_ accumulator: inout EpochAccumulator, parameters: [Double], model: Snapshot,
                               writer: EpochWriter) throws {
        let accuracy = parameters.count == model.finals.count ? model.accuracy(parameters) : .nan
        if let summary = accumulator.finish(accuracy: accuracy) { try writer.write(summary) }
    }
}
