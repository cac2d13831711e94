/// The numeric gradient and the accuracy, written once for the neuron and the network alike: each
/// model gives only its loss (or its logit) at some parameters.
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

    /// The share of samples whose prediction (1 when the logit is ≥ 0, that is a ≥ 0.5) equals the label.
    @inlinable
    public static func accuracy(on data: Dataset, logit: (Int) -> Double) -> Double {
        var correct = 0
        for sample in 0..<data.sampleCount {
            let predicted: Double = logit(sample) >= 0 ? 1 : 0
            if predicted == data.labels[sample] { correct += 1 }
        }
        return Double(correct) / Double(data.sampleCount)
    }
}
