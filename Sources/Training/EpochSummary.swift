/// The figures of one epoch, computed once from its steps when the epoch ends.
///
/// The summation order is part of the definition, so that every SQLite build and every re-run
/// gives the same bits: `meanLoss` adds the steps' losses one by one in step order, starting from
/// 0, and divides the total by the number of steps; the worst errors are the largest of the
/// epoch's gradient checks, NaN as soon as one of them is NaN; `accuracy` counts the samples
/// predicted right as a whole number and divides by the number of samples.
public struct EpochSummary: Equatable, Sendable {
    /// The epoch, from 1.
    public var epoch: Int
    /// How many steps the epoch took.
    public var steps: Int
    /// Its last step (its first is `lastStep - steps + 1`).
    public var lastStep: Int
    /// The mean of its steps' losses.
    public var meanLoss: Double
    /// The share of all samples predicted right by the parameters at the end of the epoch.
    public var accuracy: Double
    /// The largest |analytic - numeric| of the epoch's checks.
    public var worstAbsError: Double
    /// The largest relative error of the epoch's checks.
    public var worstRelError: Double
    /// How many of the epoch's checks failed.
    public var failedChecks: Int

    /// Creates a summary from its figures.
    public init(epoch: Int, steps: Int, lastStep: Int, meanLoss: Double, accuracy: Double,
                worstAbsError: Double, worstRelError: Double, failedChecks: Int) {
        self.epoch = epoch
        self.steps = steps
        self.lastStep = lastStep
        self.meanLoss = meanLoss
        self.accuracy = accuracy
        self.worstAbsError = worstAbsError
        self.worstRelError = worstRelError
        self.failedChecks = failedChecks
    }
}

/// Folds an epoch's steps, one at a time, into its `EpochSummary`.
public struct EpochAccumulator: Sendable {
    /// The epoch being accumulated, or nil before its first step.
    public private(set) var epoch: Int?
    private var steps = 0
    private var lastStep = 0
    private var lossTotal = 0.0
    /// The largest absolute error of the checks added so far (-infinity before the first).
    public private(set) var worstAbs = -Double.infinity
    /// The largest relative error of the checks added so far (-infinity before the first).
    public private(set) var worstRel = -Double.infinity
    /// How many of the checks added so far failed.
    public private(set) var failed = 0

    /// An accumulator with no steps yet.
    public init() {}

    /// Adds a step's loss; its checks follow through `addCheck`.
    public mutating func addStep(_ step: Int, epoch: Int, loss: Double) {
        startIfNeeded(epoch)
        steps += 1
        lastStep = step
        lossTotal += loss
    }

    /// Adds one parameter's gradient check of the current step.
    public mutating func addCheck(analytic: Double, numeric: Double, passed: Bool) {
        worstAbs = Self.worse(worstAbs, GradientCheck.absoluteError(analytic: analytic, numeric: numeric))
        worstRel = Self.worse(worstRel, GradientCheck.relativeError(analytic: analytic, numeric: numeric))
        if !passed { failed += 1 }
    }

    /// Adds a whole step as the trainer recorded it (a step without a check adds its loss only).
    public mutating func add(_ record: StepRecord) {
        addStep(record.step, epoch: record.epoch, loss: record.loss)
        guard record.checked else { return }
        for k in record.analytic.indices {
            addCheck(analytic: record.analytic[k], numeric: record.numeric[k], passed: record.passed[k])
        }
    }

    /// The summary of the steps added since the last call, with the accuracy of the end-of-epoch
    /// parameters; nil when no step was added. The accumulator is then empty again.
    public mutating func finish(accuracy: Double) -> EpochSummary? {
        guard let epoch, steps > 0 else { return nil }
        // An epoch without a single check (`checkEvery` longer than it) has no worst error: NaN.
        let summary = EpochSummary(
            epoch: epoch, steps: steps, lastStep: lastStep, meanLoss: lossTotal / Double(steps), accuracy: accuracy,
            worstAbsError: worstAbs == -.infinity ? .nan : worstAbs,
            worstRelError: worstRel == -.infinity ? .nan : worstRel, failedChecks: failed)
        self = EpochAccumulator()
        return summary
    }

    private mutating func startIfNeeded(_ epoch: Int) {
        if self.epoch == nil { self.epoch = epoch }
    }

    /// The larger of the two, NaN once either is NaN.
    public static func worse(_ worst: Double, _ candidate: Double) -> Double {
        worst.isNaN || candidate.isNaN ? .nan : max(worst, candidate)
    }
}
