import SQLiteDB
import Training

/// A run's gradient checks explained: the first and the worst failed check, and every failed check
/// classified by cause (`GradientCause`), grouped by cause and unit over the steps they cover.
///
/// For a run of gradlog's own trainer each failed check's step is evaluated again at its stored
/// parameters (`StepProbe`): the compiler's gradient tells whether the chain rule or the numeric
/// gradient is off, the units' slopes tell saturation, the samples labelled 1 tell cancellation, and
/// an ε sweep at the step tells truncation from round-off and finds kinks. A run logged from outside
/// has no model here: its checks are reported, not classified.
public struct GradientDiagnosis: Sendable {
    /// At most this many failed checks are classified (the rest are counted).
    public static let classifiedLimit = 5_000
    /// A unit whose largest slope (or, for the output, |a − y|) over the batch is below this is saturated.
    public static let saturationScale = 1e-4
    /// The residual σ(t) − 1 loses its digits once 1 − σ(t) is below this.
    public static let cancellationGap = 1e-6

    /// The run.
    public let runID: Int64
    /// True for a run logged from outside (`log`, GradlogKit).
    public let isExternal: Bool
    /// The run's tolerances and ε (nil for a run logged from outside).
    public let tolerance: GradientCheck
    public let eps: Double?
    /// Checks made (nil when not counted: a page's quick diagnosis), and how many failed.
    public let checks: Int?
    public let failed: Int
    /// The first failed check, and the worst check (the largest relative error, NaN first).
    public let first: StoredCheck?
    public let worst: StoredCheck?
    /// The failed checks by cause and unit, in the order of their first steps.
    public let findings: [GradientFinding]
    /// How many failed checks were classified (`classifiedLimit`).
    public let classified: Int
    /// Stored autodiff gradients that disagree with the chain rule beyond `AutodiffBound` at checks
    /// that passed (a slip the tolerance hides; a failed check is classified instead), and the first.
    public let autodiffDisagreements: Int
    public let firstAutodiffDisagreement: StoredCheck?

    /// True when every check passed and the compiler agrees with the chain rule everywhere it was asked.
    public var isClean: Bool { failed == 0 && autodiffDisagreements == 0 }

    /// Diagnoses run `runID` of `store`, classifying at most `limit` failed checks. Without `counting`
    /// (a page, which must stay fast on a long run) it reads no row it does not classify: the checks
    /// are not counted, the failures are the run's `failed_checks`, and the worst check is the worst
    /// of those classified.
    public static func diagnose(_ runID: Int64, in store: Store, limit: Int = classifiedLimit,
                                counting: Bool = true) throws(TrackerError) -> GradientDiagnosis {
        try store.attempt { try DiagnosisReader(runID: runID, store: store, limit: limit, counting: counting).read() }
    }

    /// The run's failed checks as its row counts them (`runs.failed_checks`), 0 for no such run.
    public static func failedChecks(of runID: Int64, in store: Store) throws(TrackerError) -> Int {
        try store.attempt {
            Int(try store.db.scalar("SELECT failed_checks FROM runs WHERE id = ?", [.integer(runID)])?.int64Value ?? 0)
        }
    }

    init(runID: Int64, isExternal: Bool, tolerance: GradientCheck, eps: Double?, checks: Int?, failed: Int,
         first: StoredCheck?, worst: StoredCheck?, findings: [GradientFinding], classified: Int,
         autodiffDisagreements: Int, firstAutodiffDisagreement: StoredCheck?) {
        (self.runID, self.isExternal, self.tolerance, self.eps) = (runID, isExternal, tolerance, eps)
        (self.checks, self.failed, self.first, self.worst) = (checks, failed, first, worst)
        (self.findings, self.classified) = (findings, classified)
        (self.autodiffDisagreements, self.firstAutodiffDisagreement) = (autodiffDisagreements, firstAutodiffDisagreement)
    }
}
