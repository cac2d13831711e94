#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The two documented forms of binary cross-entropy for one sample with logit t, activation a = σ(t) and label y.
public enum Loss: String, CaseIterable, Sendable {
    /// max(t, 0) - t·y + log1p(exp(-|t|)): the same function, written from the logit so that it never
    /// overflows and keeps its precision when the neuron saturates (|t| large).
    case stable
    /// -(y·log a + (1 - y)·log(1 - a)): the lesson's formula; it becomes infinite when a rounds to 0 or 1.
    case textbook

    /// The loss of one sample.
    @inlinable
    public func value(logit t: Double, label y: Double) -> Double {
        switch self {
        case .stable:
            return max(t, 0) - t * y + log1p(exp(-abs(t)))
        case .textbook:
            let a = Sigmoid.value(t)
            return -(y * log(a) + (1 - y) * log(1 - a))
        }
    }

    /// ∂loss/∂t = a - y, the same for both forms, since they are the same function of t.
    ///
    /// Chain rule: ∂L/∂a = (a - y) / (a(1 - a)) and ∂a/∂t = a(1 - a); the a(1 - a) cancels.
    /// How a - y is computed is `residual`'s choice (see `Residual`).
    @inlinable
    public func derivativeByLogit(logit t: Double, label y: Double, residual: Residual) -> Double {
        switch residual {
        case .difference:
            return Sigmoid.value(t) - y
        case .exact:
            // σ(t) - 1 = -σ(-t): no cancellation when σ(t) is close to 1. For y = 0, σ(t) - 0 is σ(t).
            return y == 1 ? -Sigmoid.value(-t) : Sigmoid.value(t) - y
        }
    }
}

/// How the residual a - y = σ(t) - y of the analytic gradient is computed.
public enum Residual: String, CaseIterable, Sendable {
    /// σ(t) - y as written: for y = 1 and a confident logit it cancels (relative error up to 1e-9,
    /// and exactly 0 from t ≈ 37). Runs whose config names no residual were logged with it, and keep
    /// it when `verify` trains them again.
    case difference
    /// -σ(-t) for y = 1 (the same number, with full relative precision at every logit), σ(t) for y = 0.
    case exact
}

/// The logistic function σ(t) = 1 / (1 + e^(-t)).
public enum Sigmoid {
    /// σ(t), written exactly as the lesson writes it so that its numbers come out bit for bit;
    /// for very negative t, e^(-t) overflows to infinity and σ(t) is 0, never NaN.
    @inlinable
    public static func value(_ t: Double) -> Double {
        1 / (1 + exp(-t))
    }
}
