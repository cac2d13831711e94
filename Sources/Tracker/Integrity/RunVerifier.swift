import SQLiteDB
import Training

/// What `gradlog verify` found for one run.
public struct Verification: Sendable {
    /// The run.
    public let runID: Int64
    /// Steps compared.
    public let steps: Int
    /// Values compared, bit for bit.
    public let values: Int
    /// The first value that differs, if any.
    public let difference: Difference?

    /// The first logged value that the re-run does not reproduce.
    public struct Difference: Sendable, Equatable {
        /// The step, or nil for the final parameters.
        public let step: Int?
        /// The parameter, or nil for a column of the step itself.
        public let param: String?
        /// The column, e.g. `numeric`.
        public let column: String
        /// The value in the database, in words with every digit.
        public let logged: String
        /// The value the re-run computed, in words with every digit.
        public let recomputed: String
        /// The value in the database as it is stored (a number stays a number).
        public let loggedValue: SQLiteValue
        /// The value the re-run computed (a number), or words where there is none.
        public let recomputedValue: SQLiteValue
    }
}

/// Re-executes a run from the database alone, in memory, and compares every logged value with the
/// one recomputed, exactly (`Measured.same`: the last bit counts, NaN matches NaN, -0.0 matches 0.0).
public enum RunVerifier {
    /// Verifies one run; a run that stopped early (crashed, interrupted, failed) is compared over the
    /// steps it logged, one that finished or diverged must also have logged exactly as many steps.
    public static func verify(_ runID: Int64, in store: Store) throws(TrackerError) -> Verification {
        // One snapshot: a run deleted (or still written) meanwhile must not read as a difference,
        // as its row read again at the end did ("logged NULL") when `rm` ran at the same time.
        try store.attempt { try store.db.transaction { try verifyInOneSnapshot(runID, in: store) } }
    }

    private static func verifyInOneSnapshot(_ runID: Int64, in store: Store) throws -> Verification {
        if try store.db.scalar("SELECT source FROM runs WHERE id = ?", [.integer(runID)]) == "external" {
            // It cannot be trained again, but its rows can still be checked against its digest.
            if let difference = try fingerprintDifference(runID, in: store.db) {
                return Verification(runID: runID, steps: 0, values: 0, difference: difference)
            }
            throw TrackerError.externalRun(runID: runID)
        }
        let run = try StoredRun.load(runID, from: store.db, path: store.path)
        var trainer = Trainer(dataset: run.dataset, config: run.config)
        var comparison = Comparison(run: run)
        let steps = try store.db.prepare(
            "SELECT step, epoch, batch_size, loss FROM steps WHERE run_id = ? ORDER BY step")
        let gradients = try store.db.prepare(
            """
            SELECT g.param, g.value, g.analytic, g.numeric, g.passed, g.autodiff FROM gradients AS g
            JOIN params AS p ON p.run_id = g.run_id AND p.param = g.param
            WHERE g.run_id = ? AND g.step = ? ORDER BY p.position
            """)
        let epochs = try store.db.prepare(
            "SELECT * FROM epochs WHERE run_id = ? ORDER BY epoch")
        try steps.bind(runID, at: 1)
        try gradients.bind(runID, at: 1)
        try epochs.bind(runID, at: 1)
        // Every column resolved by name once: verify reads a million steps, and a name looked up
        // in each row cost it 16% (measured against reading by a fixed position).
        let stepColumns = try Comparison.StepColumns(steps), gradientColumns = try Comparison.GradientColumns(gradients)
        let epochColumns = try EpochRow.columns.map { try epochs.column(named: $0.name) }
        var record = StepRecord(parameterCount: run.parameterNames.count)
        var accumulator = EpochAccumulator()
        var totals = RunTotals()
        func compareEpoch(endingWith parameters: [Double]) throws {
            let (worstAbs, worstRel) = (accumulator.worstAbs, accumulator.worstRel)
            let accuracy = trainer.model.accuracy(parameters, on: run.dataset)
            guard let summary = accumulator.finish(accuracy: accuracy) else { return }
            totals.add(summary, worstAbs: worstAbs, worstRel: worstRel)
            comparison.compare(epoch: try epochs.step() ? epochColumns.map(epochs.value(at:)) : nil, with: summary)
        }
        while comparison.difference == nil, try steps.step() {
            let logged = stepColumns.read(steps)
            guard trainer.next(into: &record) else {
                comparison.differ(step: Int(logged.step.int64Value ?? 0), param: nil, column: "step",
                                  logged: "a logged step", recomputed: "no step: the re-run ended")
                break
            }
            try gradients.bind(Int64(record.step), at: 2)
            var rows: [Comparison.GradientValues] = []
            while try gradients.step() { rows.append(try gradientColumns.read(gradients)) }
            gradients.reset()
            comparison.compare(step: logged, gradients: rows, with: record)
            accumulator.add(record)
            totals.steps = record.step
            if comparison.difference == nil && trainer.epoch != record.epoch {
                try compareEpoch(endingWith: trainer.parameters)
            }
        }
        if comparison.difference == nil { comparison.compareEnd(of: &trainer, record: &record) }
        // The epoch a run stopped in the middle of has its row once the run has ended.
        if comparison.difference == nil && run.hasEnded { try compareEpoch(endingWith: trainer.parameters) }
        if comparison.difference == nil, run.hasEnded, try epochs.step() {
            comparison.differ(step: nil, param: nil, column: "epochs", logged: "a row for epoch \(try epochs.decode(Int64.self, named: "epoch"))",
                              recomputed: "no such epoch")
        }
        if comparison.difference == nil && run.hasEnded {
            let row = try store.db.namedRows("SELECT * FROM runs WHERE id = ?", [.integer(runID)]).first
            try comparison.compare(runRow: row, with: totals)
        }
        // The blocks are derived from the rows just compared: they must summarise them exactly.
        // A block number edited in the file may be any integer: its first step or epoch, past
        // Int64.max, is left unsaid.
        if comparison.difference == nil, run.hasEnded, let block = try GradientBlocks.firstDisagreement(runID, in: store.db) {
            let (before, past) = block.multipliedReportingOverflow(by: GradientBlocks.size)
            comparison.differ(step: past ? nil : Int(before + 1), param: nil, column: "gradient_blocks",
                              logged: "the rows of block \(block)", recomputed: "a summary of its gradient rows that differs")
        }
        if comparison.difference == nil, run.hasEnded, let block = try EpochBlocks.firstDisagreement(runID, in: store.db) {
            let (before, past) = block.multipliedReportingOverflow(by: EpochBlocks.size)
            let epochs = past || before > .max - EpochBlocks.size ? "" : " (epochs \(before + 1) to \(before + EpochBlocks.size))"
            comparison.differ(step: nil, param: nil, column: "epoch_blocks", logged: "the row of block \(block)\(epochs)",
                              recomputed: "a summary of its epochs rows that differs")
        }
        // Last: a change the re-run reproduces all the same (the digest itself, say) still differs here.
        let result = comparison.result
        if result.difference == nil, let difference = try fingerprintDifference(runID, in: store.db) {
            return Verification(runID: runID, steps: result.steps, values: result.values, difference: difference)
        }
        return result
    }

    /// The run's stored fingerprint against the one its rows hash to now, as a difference when they
    /// disagree (a row changed after it was logged); nil when they agree or none is stored.
    static func fingerprintDifference(_ runID: Int64, in db: Database) throws -> Verification.Difference? {
        guard case .text(let stored)? = try db.scalar("SELECT fingerprint FROM runs WHERE id = ?", [.integer(runID)]) else {
            return nil
        }
        let computed = try RunFingerprint.compute(runID, in: db)
        guard computed != stored else { return nil }
        return Verification.Difference(
            step: nil, param: nil, column: "fingerprint", logged: "\(stored) (the run's fingerprint)",
            recomputed: "\(computed) from its rows: they were changed after they were logged",
            loggedValue: .text(stored), recomputedValue: .text(computed))
    }
}
