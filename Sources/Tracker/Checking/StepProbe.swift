#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SQLiteDB
import Training

/// A stored step of one of gradlog's own runs, evaluated again: the parameters the step logged, the
/// samples of its batch, and what the model computes there (the loss and both exact gradients, once
/// for every failed check of the step, and how far each unit is from saturation).
struct StepProbe {
    let step: Int64
    let parameters: [Double]
    let batch: ArraySlice<Int>
    let exact: EpsilonSweep.Exact
    /// Per unit (`"layer.unit"`): for a hidden unit the largest slope a'(z) over the batch, for the
    /// output unit the largest |a − y|. Tiny means the unit's gradients are tiny.
    let unitScales: [String: Double]
    /// For the output unit: the largest σ(t) among the batch's samples labelled 1 (1 when σ(t)
    /// rounds to 1), and its logit; nil when the batch has no such sample.
    let confidentPositive: (activation: Double, logit: Double)?

    /// Evaluates `run`'s model at `parameters` on the batch of `step`.
    init(step: Int64, parameters: [Double], run: StoredRun, model: Model, replay: inout BatchReplay) {
        self.step = step
        self.parameters = parameters
        batch = replay.batch(ofStep: Int(step))
        exact = EpsilonSweep.Exact(model, at: parameters, on: run.dataset, batch: batch)
        (unitScales, confidentPositive) = Self.units(model, parameters, run.dataset, batch)
    }

    /// Each unit's scale and the most confident positive sample, from one forward pass per sample.
    private static func units(_ model: Model, _ parameters: [Double], _ data: Dataset, _ batch: ArraySlice<Int>)
        -> ([String: Double], (activation: Double, logit: Double)?) {
        var scales: [String: Double] = [:]
        var positive: (activation: Double, logit: Double)?
        var outputs: [[Double]] = []
        var outputKey = "1.1"
        if case .network(let network) = model { (outputs, outputKey) = (network.makeOutputs(), "\(network.layerCount).1") }
        for sample in batch {
            let t: Double
            switch model {
            case .neuron(let neuron):
                t = neuron.logit(parameters, data.inputs(ofSample: sample))
            case .network(let network):
                t = network.forward(parameters, data.inputs(ofSample: sample), outputs: &outputs)
                for layer in 1..<network.layerCount {
                    for unit in 1...network.sizes[layer] {
                        let slope = network.activation.derivative(output: outputs[layer][unit - 1])
                        scales["\(layer).\(unit)"] = max(scales["\(layer).\(unit)"] ?? 0, abs(slope))
                    }
                }
            }
            let a = Sigmoid.value(t), y = data.labels[sample]
            scales[outputKey] = max(scales[outputKey] ?? 0, abs(a - y))
            if y == 1, a >= (positive?.activation ?? -1) { positive = (a, t) }
        }
        return (scales, positive)
    }
}
