import SQLiteDB
import Training

/// An ε sweep at one stored step of one of gradlog's own runs (`gradlog check RUN --step N --eps-sweep`).
public struct StepSweep: Sendable {
    /// The run and the step.
    public let runID: Int64
    public let step: Int64
    /// The run's own ε, always among the swept ones.
    public let runEps: Double
    /// The names of the run's parameters, in storage order (the sweep's `parameter` indexes them).
    public let parameterNames: [String]
    /// The gradients stored at the step, in storage order (NaN where NULL): the sweep recomputes the
    /// chain rule's, which must equal them.
    public let storedAnalytic: [Double]
    /// The sweep.
    public let sweep: EpsilonSweep
    /// The largest |input| of the run's data (`AutodiffBound`).
    public let inputScale: Double

    /// Sweeps `epsilons` (and the run's ε) at step `step` of run `runID`, for the parameters
    /// matching the GLOB `pattern` (all when nil).
    public static func sweep(_ runID: Int64, step: Int64, epsilons: [Double], matching pattern: String?,
                             in store: Store) throws(TrackerError) -> StepSweep {
        let selected = try RunCatalog(store: store).parameterNames(of: runID, matching: pattern)
        if let pattern, selected.isEmpty { throw .noParameterMatches(runID: runID, pattern: pattern) }
        return try store.attempt {
            guard try store.db.scalar("SELECT source FROM runs WHERE id = ?", [.integer(runID)]) != "external" else {
                throw TrackerError.noModel(runID: runID)
            }
            let run = try StoredRun.load(runID, from: store.db, path: store.path)
            let rows = try store.db.namedRows("""
                SELECT g.value, g.analytic FROM gradients AS g JOIN params AS p ON p.run_id = g.run_id AND p.param = g.param
                WHERE g.run_id = ? AND g.step = ? ORDER BY p.position
                """, [.integer(runID), .integer(step)])
            guard rows.count == run.parameterNames.count else { throw TrackerError.stepNotFound(runID: runID, step: step) }
            let model = Model(run.config, inputCount: run.dataset.inputCount)
            var replay = Trainer(dataset: run.dataset, config: run.config).batchReplay()
            let batch = replay.batch(ofStep: Int(step))
            let indices = selected.compactMap { run.parameterNames.firstIndex(of: $0) }
            let all = Set(epsilons + [run.config.eps]).sorted(by: >)
            let sweep = EpsilonSweep(model, at: try rows.map { try $0.measured("value") }, on: run.dataset, batch: batch,
                                     epsilons: all, indices: indices)
            return StepSweep(runID: runID, step: step, runEps: run.config.eps, parameterNames: run.parameterNames,
                             storedAnalytic: try rows.map { try $0.measured("analytic") }, sweep: sweep,
                             inputScale: AutodiffBound.inputScale(of: run.dataset))
        }
    }
}
