/// Why a run logged from outside refused a step or its setup (the wording lives in the command line).
public enum ExternalStepProblem: Error, Equatable, Sendable {
    /// The step number is not greater than the previous step's (`previous`, 0 before the first).
    case stepNotIncreasing(previous: Int, step: Int)
    /// The epoch is below 1 or below the previous step's; `given` is false when it is the step
    /// number because the step gave none.
    case epochDecreasing(previous: Int, epoch: Int, given: Bool)
    /// The step gives neither a loss, nor a metric, nor parameter values: nothing to log.
    case noScalar
    /// The step gives an empty set of parameter values.
    case noParameters
    /// The step gives gradients (`what`: analytic or numeric) without the parameter values they belong to.
    case gradientsWithoutValues(what: String)
    /// The step's gradients (`what`) name other parameters than its values do.
    case gradientsMismatch(what: String)
    /// `what` (params, analytic, numeric, final values) has `got` entries where `expected` belong:
    /// every parameter of the run, in order, or as many as the step's positions name.
    case parameterCount(expected: Int, got: Int, what: String)
    /// The step's positions name a parameter twice, or one beyond the run's (and the step's new) parameters.
    case badPositions
    /// The step adds a parameter (`newParameters`) without giving its value.
    case newParameterWithoutValue(String)
    /// A final value for a parameter that no step gave a value of.
    case finalWithoutSteps(String)
    /// More parameters than a run logged from outside may have (`ExternalRun.maxParameters`).
    case tooManyParameters(limit: Int)
    /// A parameter name that is not allowed: not a safe name (a letter or `_`, then letters,
    /// digits, `_`, `.`, `[` and `]`), one of `ExternalRun.reservedNames`, or given twice or
    /// beside a name whose report columns it would share (`w` and `w_analytic`).
    case badParameterName(String)
    /// A parameter's first logged value is not finite: its starting point must be.
    case firstValueNotFinite(String)
    /// A batch size below 1.
    case badBatchSize(Int)
    /// A metric name that breaks the parameter-name rules or is a column of the per-step report.
    case badMetricName(String)
    /// A metric given twice in one step.
    case duplicateMetric(String)
    /// More metric names than the per-step report can show beside the parameters.
    case tooManyMetrics(limit: Int)
    /// The configuration is not a JSON object that SQLite reads.
    case badConfig
}
