/// One sigmoid neuron: logit t = w·x + b, activation a = σ(t), and its loss and gradients on a batch.
///
/// Parameters are kept in one array: the n weights in input order, then the bias.
public struct Neuron: Sendable {
    /// The number of inputs, n.
    public let inputCount: Int
    /// Which form of cross-entropy the loss uses.
    public let loss: Loss
    /// How the gradient's residual a - y is computed.
    public let residual: Residual
    /// True when its weight gradients drop their input factor on purpose (`FaultyUnit` l1.n1).
    public let isFaulty: Bool

    /// Creates a neuron with n inputs.
    public init(inputCount: Int, loss: Loss, residual: Residual = .exact, isFaulty: Bool = false) {
        self.inputCount = inputCount
        self.loss = loss
        self.residual = residual
        self.isFaulty = isFaulty
    }

    /// The parameter names in storage order: `w` and `b` for one input, else `w1`...`wn` and `b`.
    public static func parameterNames(inputCount: Int) -> [String] {
        let weights = inputCount == 1 ? ["w"] : (1...inputCount).map { "w\($0)" }
        return weights + ["b"]
    }

    /// t = w·x + b, summed in input order from the first product, then the bias added last.
    @inlinable
    public func logit(_ parameters: [Double], _ x: ArraySlice<Double>) -> Double {
        var index = x.startIndex
        var dot = parameters[0] * x[index]
        for j in 1..<inputCount {
            index += 1
            dot += parameters[j] * x[index]
        }
        return dot + parameters[inputCount]
    }

    /// The mean loss over the samples of `batch`.
    @inlinable
    public func meanLoss(_ parameters: [Double], on data: Dataset, batch: ArraySlice<Int>) -> Double {
        var total = 0.0
        for sample in batch {
            let t = logit(parameters, data.inputs(ofSample: sample))
            total += loss.value(logit: t, label: data.labels[sample])
        }
        return total / Double(batch.count)
    }

    /// The chain-rule gradient of the mean loss: ∂L/∂wⱼ = mean((a - y)·xⱼ) and ∂L/∂b = mean(a - y).
    @inlinable
    public func analyticGradient(
        _ parameters: [Double], on data: Dataset, batch: ArraySlice<Int>, into gradient: inout [Double]
    ) {
        for k in gradient.indices { gradient[k] = 0 }
        for sample in batch {
            let x = data.inputs(ofSample: sample)
            // ∂loss/∂t = a - y; ∂t/∂wⱼ = xⱼ and ∂t/∂b = 1.
            let dLossByLogit = loss.derivativeByLogit(logit: logit(parameters, x), label: data.labels[sample], residual: residual)
            var index = x.startIndex
            for j in 0..<inputCount {
                // The teaching fault drops ∂t/∂wⱼ = xⱼ.
                gradient[j] += isFaulty ? dLossByLogit : dLossByLogit * x[index]
                index += 1
            }
            gradient[inputCount] += dLossByLogit
        }
        let count = Double(batch.count)
        for k in gradient.indices { gradient[k] /= count }
    }

    /// The central difference (L(θ + ε) - L(θ - ε)) / 2ε for each parameter separately.
    ///
    /// `parameters` is moved by ±ε in place and restored bit for bit before the next parameter.
    @inlinable
    public func numericGradient(
        _ parameters: inout [Double], eps: Double, on data: Dataset, batch: ArraySlice<Int>,
        into gradient: inout [Double]
    ) {
        CentralDifference.gradient(&parameters, eps: eps, into: &gradient) { meanLoss($0, on: data, batch: batch) }
    }

    /// The share of samples whose prediction (1 when t >= 0, that is a >= 0.5) equals the label.
    public func accuracy(_ parameters: [Double], on data: Dataset) -> Double {
        data.accuracy { logit(parameters, data.inputs(ofSample: $0)) }
    }
}
