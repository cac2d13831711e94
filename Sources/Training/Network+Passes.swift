/// The forward and backward passes of a `Network`, each formula beside its derivative.
extension Network {
    /// Every unit's output for one sample, layer by layer (`outputs[0]` is the sample itself), and
    /// the output unit's logit t. A unit's weighted input is summed in input order from its first
    /// product, and its bias added last, as the neuron's logit.
    public func forward(_ parameters: [Double], _ x: ArraySlice<Double>, outputs: inout [[Double]]) -> Double {
        for (j, value) in x.enumerated() { outputs[0][j] = value }
        var logit = 0.0
        for layer in 1...layerCount {
            let fanIn = sizes[layer - 1]
            for unit in 1...sizes[layer] {
                let start = index(layer: layer, unit: unit)
                var z = parameters[start] * outputs[layer - 1][0]
                for input in 1..<fanIn { z += parameters[start + input] * outputs[layer - 1][input] }
                z += parameters[start + fanIn]
                if layer == layerCount {
                    logit = z
                } else {
                    outputs[layer][unit - 1] = activation.value(z)
                }
            }
        }
        return logit
    }

    /// Scratch space for the passes: one array per layer.
    public func makeOutputs() -> [[Double]] {
        sizes.map { Array(repeating: 0.0, count: $0) }
    }

    /// The mean loss over the samples of `batch`.
    public func meanLoss(_ parameters: [Double], on data: Dataset, batch: ArraySlice<Int>, outputs: inout [[Double]]) -> Double {
        var total = 0.0
        for sample in batch {
            let t = forward(parameters, data.inputs(ofSample: sample), outputs: &outputs)
            total += loss.value(logit: t, label: data.labels[sample])
        }
        return total / Double(batch.count)
    }

    /// The gradient of the mean loss by backpropagation.
    ///
    /// Per sample, one backward pass computes each unit's slope δ = ∂loss/∂z once: for the output
    /// unit δ = a - y (the loss's derivative by its logit); for a hidden unit u of layer l,
    /// δᵤ = (Σₖ wₖᵤ·δₖ over the units k of layer l + 1)·a'(zᵤ). Every weight feeding the unit then
    /// gets δᵤ times its input (∂z/∂w = the input), the bias δᵤ (∂z/∂b = 1), and δᵤ is passed back.
    public func analyticGradient(_ parameters: [Double], on data: Dataset, batch: ArraySlice<Int>,
                                 into gradient: inout [Double], outputs: inout [[Double]], deltas: inout [[Double]]) {
        for k in gradient.indices { gradient[k] = 0 }
        for sample in batch {
            let t = forward(parameters, data.inputs(ofSample: sample), outputs: &outputs)
            deltas[layerCount][0] = loss.derivativeByLogit(logit: t, label: data.labels[sample], residual: residual)
            for layer in stride(from: layerCount, through: 1, by: -1) {
                accumulate(layer: layer, parameters: parameters, outputs: outputs, deltas: &deltas, into: &gradient)
            }
        }
        let count = Double(batch.count)
        for k in gradient.indices { gradient[k] /= count }
    }

    /// Adds layer `layer`'s weight and bias gradients for one sample, and computes the δ of the
    /// layer below from this layer's δ (once per unit, reused for all of its weights).
    private func accumulate(layer: Int, parameters: [Double], outputs: [[Double]], deltas: inout [[Double]],
                            into gradient: inout [Double]) {
        let fanIn = sizes[layer - 1]
        for unit in 1...sizes[layer] {
            let start = index(layer: layer, unit: unit)
            let delta = deltas[layer][unit - 1]
            let faulty = fault?.layer == layer && fault?.unit == unit
            for input in 0..<fanIn {
                // ∂z/∂w = the input it multiplies; the teaching fault drops that factor.
                gradient[start + input] += faulty ? delta : delta * outputs[layer - 1][input]
            }
            gradient[start + fanIn] += delta
        }
        guard layer > 1 else { return }
        for input in 0..<fanIn {
            var back = 0.0
            for unit in 1...sizes[layer] {
                back += parameters[index(layer: layer, unit: unit) + input] * deltas[layer][unit - 1]
            }
            deltas[layer - 1][input] = back * activation.derivative(output: outputs[layer - 1][input])
        }
    }

    /// Scratch space for the slopes: one array per layer (index 0 unused).
    public func makeDeltas() -> [[Double]] { makeOutputs() }

    /// The central difference (L(θ + ε) - L(θ - ε)) / 2ε for each parameter separately, two
    /// forward passes over the batch each; `parameters` is restored bit for bit after each.
    public func numericGradient(_ parameters: inout [Double], eps: Double, on data: Dataset, batch: ArraySlice<Int>,
                                into gradient: inout [Double], outputs: inout [[Double]]) {
        CentralDifference.gradient(&parameters, eps: eps, into: &gradient) {
            meanLoss($0, on: data, batch: batch, outputs: &outputs)
        }
    }

    /// The share of samples whose prediction (1 when the output logit is ≥ 0) equals the label.
    public func accuracy(_ parameters: [Double], on data: Dataset) -> Double {
        var outputs = makeOutputs()
        return data.accuracy { forward(parameters, data.inputs(ofSample: $0), outputs: &outputs) }
    }
}
