/// How a numeric gradient is compared with the analytic one, after PyTorch's gradcheck.
///
/// A parameter's check passes when |analytic - numeric| <= atol + rtol·|numeric|.
public struct GradientCheck: Equatable, Sendable {
    /// The absolute tolerance (default 1e-5, as in torch.autograd.gradcheck).
    public var atol: Double
    /// The relative tolerance (default 1e-3, as in torch.autograd.gradcheck).
    public var rtol: Double

    /// The default tolerances.
    public static let defaultTolerance = GradientCheck(atol: 1e-5, rtol: 1e-3)

    /// Creates a check with the given tolerances.
    public init(atol: Double, rtol: Double) {
        self.atol = atol
        self.rtol = rtol
    }

    /// True when the two gradients agree within the tolerances (false when either is NaN).
    @inlinable
    public func passes(analytic: Double, numeric: Double) -> Bool {
        abs(analytic - numeric) <= atol + rtol * abs(numeric)
    }

    /// |analytic - numeric|.
    @inlinable
    public static func absoluteError(analytic: Double, numeric: Double) -> Double {
        abs(analytic - numeric)
    }

    /// |analytic - numeric| / max(|analytic|, |numeric|), and 0 when both are 0.
    @inlinable
    public static func relativeError(analytic: Double, numeric: Double) -> Double {
        if analytic == 0 && numeric == 0 { return 0 }
        return abs(analytic - numeric) / max(abs(analytic), abs(numeric))
    }
}
