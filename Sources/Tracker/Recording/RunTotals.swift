import SQLiteDB
import Training

/// The figures of a run's `runs` row that sum up its epochs (steps, epochs, worst errors, failed
/// checks, final loss and accuracy): kept by the recorder as the run trains, recomputed by verify.
struct RunTotals {
    var steps = 0
    var epochs = 0
    /// The largest errors of the checks made (-infinity before the first; NaN once one was NaN).
    var worstAbsError = -Double.infinity
    var worstRelError = -Double.infinity
    var failedChecks = 0
    /// The last epoch written.
    var last: EpochSummary?

    /// Folds in an ended epoch; `worstAbs` and `worstRel` are its checks' as made (-infinity when
    /// it had none, so that an epoch without checks leaves the run's worst errors as they are).
    mutating func add(_ summary: EpochSummary, worstAbs: Double, worstRel: Double) {
        epochs = summary.epoch
        worstAbsError = EpochAccumulator.worse(worstAbsError, worstAbs)
        worstRelError = EpochAccumulator.worse(worstRelError, worstRel)
        failedChecks += summary.failedChecks
        last = summary
    }

    /// A worst error as the `runs` row stores it: NULL before any check, and for NaN.
    static func stored(_ worst: Double) -> SQLiteValue {
        worst == -.infinity ? .null : Measured.value(worst)
    }

    /// The `runs` columns these figures fill, in the order of `values`.
    static let columns = ["step_count", "epoch_count", "failed_checks", "worst_abs_error", "worst_rel_error",
                          "final_loss", "final_accuracy"]

    /// The stored values of `columns`, for a run that has ended.
    var values: [SQLiteValue] {
        [.integer(Int64(steps)), .integer(Int64(epochs)), .integer(Int64(failedChecks)), Self.stored(worstAbsError),
         Self.stored(worstRelError), last.map { Measured.value($0.meanLoss) } ?? .null,
         last.map { Measured.value($0.accuracy) } ?? .null]
    }
}
