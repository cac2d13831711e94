/// Why a run logged from outside refused a step or its setup (the wording lives in the command line).
public enum ExternalStepProblem: Error, Equatable, Sendable {
    /// The step number is below 1 or not larger than the previous step's (`previous`, 0 for none).
    case stepNotAfter(previous: Int, step: Int)
    /// The epoch is below 1 or smaller than the previous step's.
    case epochBefore(previous: Int, epoch: Int)
    /// `what` (values, analytic, numeric, final values) has `got` entries where the run has `expected` parameters.
    case parameterCount(expected: Int, got: Int, what: String)
    /// A parameter name that is empty, given twice, too long or holds characters other than
    /// letters, digits, `_`, `.`, `[` and `]` (after a letter or `_`).
    case badParameterName(String)
    /// A parameter's value at the first step is NaN: the run's starting point must be a number.
    case firstValueNotANumber(String)
    /// A batch size below 1.
    case badBatchSize(Int)
    /// A metric name that breaks the parameter-name rules, is given twice in a step, or would
    /// stand for a column the per-step report already has (`loss`, `w_analytic`, ...).
    case badMetricName(String)
}
