import SQLiteDB
import Training

/// Decides the cause of a failed check of one of gradlog's own runs, evaluating its step again.
struct CheckClassifier {
    let tolerance: GradientCheck
    private let runID: Int64
    private let store: Store
    private let run: StoredRun
    private let model: Model
    private let positions: [String: Int]
    /// The data's largest |input|, which `AutodiffBound` scales by.
    private let inputScale: Double
    private var replay: BatchReplay
    private var probe: StepProbe?

    init(runID: Int64, store: Store, tolerance: GradientCheck) throws {
        (self.runID, self.store, self.tolerance) = (runID, store, tolerance)
        run = try StoredRun.load(runID, from: store.db, path: store.path)
        model = Model(run.config, inputCount: run.dataset.inputCount)
        positions = Dictionary(uniqueKeysWithValues: run.parameterNames.enumerated().map { ($1, $0) })
        inputScale = AutodiffBound.inputScale(of: run.dataset)
        replay = Trainer(dataset: run.dataset, config: run.config).batchReplay()
    }

    /// The cause of `check`'s failure, the figures it was decided on, and the check with the
    /// compiler's gradient filled in.
    mutating func classify(_ check: StoredCheck) throws -> (GradientCause, [(name: String, value: Double)], StoredCheck) {
        let probe = try probe(at: check.step)
        guard let k = positions[check.param] else { return (.unexplained, [], check) }
        let autodiff = probe.exact.autodiff[k]
        let seen = check.with(autodiff: autodiff)
        let chainRule = GradientCheck.relativeError(analytic: check.analytic, numeric: autodiff)
        if run.config.residual == .difference, let positive = probe.confidentPositive,
           1 - positive.activation < GradientDiagnosis.cancellationGap, chainRule > 1e-12 {
            return (.cancellation, [("logit", positive.logit), ("activation", positive.activation),
                                    ("exact_residual", -Sigmoid.value(-positive.logit)),
                                    ("computed_residual", positive.activation - 1),
                                    ("chain_rule_vs_autodiff", chainRule)], seen)
        }
        if !AutodiffBound.agrees(check.analytic, autodiff, inputScale: inputScale) {
            return (.wrongBackwardPass, [("analytic", check.analytic), ("autodiff", autodiff), ("numeric", check.numeric),
                                         ("numeric_vs_autodiff", abs(check.numeric - autodiff)), ("allowed", check.allowed)], seen)
        }
        let (cause, evidence) = numericCause(check, k: k, probe: probe, autodiff: autodiff)
        return (cause, evidence, seen)
    }

    /// Why the numeric gradient is off when the chain rule is right: saturation, a kink, or ε.
    private func numericCause(_ check: StoredCheck, k: Int, probe: StepProbe, autodiff: Double)
        -> (GradientCause, [(name: String, value: Double)]) {
        let eps = run.config.eps
        let sweep = EpsilonSweep(model, at: probe.parameters, exact: probe.exact, on: run.dataset, batch: probe.batch,
                                 epsilons: Set(EpsilonSweep.defaultEpsilons + [eps]).sorted(by: >), indices: [k])
        let atRun = sweep.rows.first { $0.eps == eps }?.autodiffError ?? .nan
        let best = sweep.rows.filter { !$0.autodiffError.isNaN }.min { $0.autodiffError < $1.autodiffError }
        let bestFigures: [(name: String, value: Double)] = [("eps", eps), ("error_at_eps", atRun),
                                                            ("best_eps", best?.eps ?? .nan), ("error_at_best", best?.autodiffError ?? .nan)]
        let unitKey = check.layer.flatMap { layer in check.unit.map { "\(layer).\($0)" } } ?? "1.1"
        let scale = probe.unitScales[unitKey] ?? .nan
        if scale < GradientDiagnosis.saturationScale {
            return (.saturation, [("unit_scale", scale), ("gradient", autodiff), ("loss", probe.exact.loss),
                                  ("round_off", Double.ulpOfOne * abs(probe.exact.loss) / eps)] + bestFigures)
        }
        if let kink = Self.kink(sweep.rows, best: best, allowed: check.allowed) {
            return (.kink, [("forward", kink.forward), ("backward", kink.backward)] + bestFigures)
        }
        guard let best, best.autodiffError < atRun else { return (.unexplained, bestFigures) }
        return (best.eps < eps ? .epsTooLarge : .epsTooSmall, bestFigures)
    }

    /// The one-sided slopes at the best ε when they differ by more than the check allows and do not
    /// come together at the next two smaller ε (at a smooth point they differ by about ε·|L''|).
    static func kink(_ rows: [EpsilonSweep.Row], best: EpsilonSweep.Row?, allowed: Double) -> EpsilonSweep.Row? {
        guard let best, let index = rows.firstIndex(where: { $0.eps == best.eps }), index + 2 < rows.count else { return nil }
        let gaps = rows[index...(index + 2)].map { abs($0.forward - $0.backward) }
        return gaps.allSatisfy({ $0 > allowed }) && gaps[2] > gaps[0] / 4 ? best : nil
    }

    /// The step's evaluation, kept while the checks of one step are classified.
    private mutating func probe(at step: Int64) throws -> StepProbe {
        if let probe, probe.step == step { return probe }
        let values = try store.db.measuredColumn("""
            SELECT g.value FROM gradients AS g JOIN params AS p ON p.run_id = g.run_id AND p.param = g.param
            WHERE g.run_id = ? AND g.step = ? ORDER BY p.position
            """, [.integer(runID), .integer(step)])
        let probe = StepProbe(step: step, parameters: values, run: run, model: model, replay: &replay)
        self.probe = probe
        return probe
    }
}
