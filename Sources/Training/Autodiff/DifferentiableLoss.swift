#if canImport(_Differentiation)
import _Differentiation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The mean loss of the neuron and of a network written once more, as plain differentiable Swift,
/// so that the compiler derives a gradient that owes nothing to the hand-written chain rule.
///
/// The formulas are those of `Loss`, `Neuron` and `Network`, in the same order of operations.
/// Branches are `if` statements, never the `?:` operator: with this toolchain a ternary inside a
/// differentiable function silently drops terms of the derivative (`t > 0 ? t : 0` made the whole
/// derivative of `max(t, 0) - t·y` come out as 1 at t = 3, y = 1).
enum DifferentiableLoss {
    /// One sample's loss for logit `t` and label `y`, in the given form.
    @differentiable(reverse, wrt: t)
    static func sampleLoss(logit t: Double, label y: Double, form: Loss) -> Double {
        switch form {
        case .stable:
            // max(t, 0) − t·y + log1p(e^(−|t|)), one side of 0 at a time, with t·(1 − y) for t ≥ 0:
            // written as max(t, 0) − t·y, the compiler's slope 1 − y − σ(−t) would sum 1 − σ(−t)
            // first and lose σ(−t) to rounding for y = 1 at a large logit (the residual's cancellation,
            // inside the derivative). Both halves are the same function of t (the kink of |t| at 0
            // cancels in it), and for labels 0 and 1 the same numbers.
            if t >= 0 {
                return t * (1 - y) + log1p(exp(-t))
            }
            return -(t * y) + log1p(exp(t))
        case .textbook:
            // −(y·log a + (1 − y)·log(1 − a)) with 1 − a as σ(−t): written with 1 − a, its derivative
            // would divide by a difference that cancels as a nears 1.
            return -(y * log(sigmoid(t)) + (1 - y) * log(sigmoid(-t)))
        }
    }

    /// The neuron's mean loss over `batch`: t = w·x + b per sample.
    @differentiable(reverse, wrt: parameters)
    static func neuron(_ parameters: [Double], inputCount: Int, data: Dataset, batch: [Int], form: Loss) -> Double {
        var total = 0.0
        for sample in withoutDerivative(at: batch) {
            let x = withoutDerivative(at: data.inputs(ofSample: sample))
            let first = withoutDerivative(at: x.startIndex)
            var t = parameters[0] * x[first]
            for j in withoutDerivative(at: 1..<inputCount) {
                t = t + parameters[j] * x[first + j]
            }
            t = t + parameters[inputCount]
            total = total + sampleLoss(logit: t, label: data.labels[sample], form: form)
        }
        return total / Double(batch.count)
    }

    /// A network's mean loss over `batch`: each layer's units weigh the outputs of the layer below.
    @differentiable(reverse, wrt: parameters)
    static func network(_ parameters: [Double], sizes: [Int], activation: Activation, data: Dataset, batch: [Int],
                        form: Loss) -> Double {
        var total = 0.0
        for sample in withoutDerivative(at: batch) {
            let t = logit(parameters, sizes: sizes, activation: activation, input: Array(data.inputs(ofSample: sample)))
            total = total + sampleLoss(logit: t, label: data.labels[sample], form: form)
        }
        return total / Double(batch.count)
    }

    /// The output unit's logit for one sample, layer by layer; parameters in `Network`'s order.
    @differentiable(reverse, wrt: parameters)
    static func logit(_ parameters: [Double], sizes: [Int], activation: Activation, input: [Double]) -> Double {
        var below = input
        var offset = 0
        var result = 0.0
        let last = withoutDerivative(at: sizes.count - 1)
        for layer in withoutDerivative(at: 1...last) {
            let fanIn = withoutDerivative(at: sizes[layer - 1])
            var outputs: [Double] = []
            for _ in withoutDerivative(at: 0..<sizes[layer]) {
                var z = parameters[offset] * below[0]
                for input in withoutDerivative(at: 1..<fanIn) {
                    z = z + parameters[offset + input] * below[input]
                }
                z = z + parameters[offset + fanIn]
                offset += fanIn + 1
                if layer == last {
                    result = z
                } else {
                    outputs.append(activate(z, activation))
                }
            }
            if layer != last { below = outputs }
        }
        return result
    }

    /// σ(z), one side of 0 at a time: 1 / (1 + e^(−z)) overflows to ∞/∞ in its derivative for a very
    /// negative z, e^z / (1 + e^z) does not.
    @differentiable(reverse, wrt: z)
    static func sigmoid(_ z: Double) -> Double {
        if z >= 0 {
            return 1 / (1 + exp(-z))
        }
        let e = exp(z)
        return e / (1 + e)
    }

    /// A hidden unit's output.
    @differentiable(reverse, wrt: z)
    static func activate(_ z: Double, _ activation: Activation) -> Double {
        switch activation {
        case .sigmoid: return sigmoid(z)
        case .tanh: return tanh(z)
        }
    }
}
#endif
