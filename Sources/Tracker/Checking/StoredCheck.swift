/// One gradient check as a run stored it, with where its parameter sits.
public struct StoredCheck: Equatable, Sendable {
    /// The step.
    public let step: Int64
    /// The parameter's name.
    public let param: String
    /// The parameter's layer and unit (from 1), nil when its name does not say (a run logged from outside).
    public let layer: Int?, unit: Int?
    /// The parameter's value at the step, and its chain-rule and numeric gradients (NaN where NULL).
    public let value, analytic, numeric: Double
    /// The gradient from automatic differentiation: stored, or recomputed for a run of gradlog's
    /// trainer; NaN when neither.
    public let autodiff: Double
    /// |analytic − numeric| and the relative error, as stored (NaN where NULL).
    public let absoluteError, relativeError: Double
    /// atol + rtol·|numeric|: the largest absolute error the check allowed.
    public let allowed: Double

    /// The same check with the compiler's gradient `autodiff`.
    func with(autodiff: Double) -> StoredCheck {
        StoredCheck(step: step, param: param, layer: layer, unit: unit, value: value, analytic: analytic, numeric: numeric,
                    autodiff: autodiff, absoluteError: absoluteError, relativeError: relativeError, allowed: allowed)
    }
}
