#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The activation of a network's hidden units; the output unit is always a sigmoid.
public enum Activation: String, CaseIterable, Sendable {
    /// σ(z) = 1 / (1 + e^(-z)), as the lesson's neuron.
    case sigmoid
    /// tanh(z).
    case tanh

    /// The unit's output for its weighted input z.
    @inlinable
    public func value(_ z: Double) -> Double {
        switch self {
        case .sigmoid: Sigmoid.value(z)
        case .tanh: hyperbolicTangent(z)
        }
    }

    /// da/dz, written from the output a itself: σ' = a(1 - a), tanh' = 1 - a².
    @inlinable
    public func derivative(output a: Double) -> Double {
        switch self {
        case .sigmoid: a * (1 - a)
        case .tanh: 1 - a * a
        }
    }
}

/// The C library's tanh, named apart from the `tanh` case.
@usableFromInline
func hyperbolicTangent(_ z: Double) -> Double {
    tanh(z)
}
