/// The numeric gradient, written once for the neuron and the network alike: each model gives only
/// its loss at some parameters.
public enum CentralDifference {
    /// (L(θ + ε) - L(θ - ε)) / 2ε for each parameter separately, into `gradient`; `parameters` is
    /// moved by ±ε in place and restored bit for bit before the next one.
    @inlinable
    public static func gradient(_ parameters: inout [Double], eps: Double, into gradient: inout [Double],
                                loss: ([Double]) -> Double) {
        for k in parameters.indices {
            let original = parameters[k]
            parameters[k] = original + eps
            let above = loss(parameters)
            parameters[k] = original - eps
            let below = loss(parameters)
            parameters[k] = original
            gradient[k] = (above - below) / (2 * eps)
        }
    }
}
