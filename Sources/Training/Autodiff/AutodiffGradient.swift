#if canImport(_Differentiation)
import _Differentiation
#endif

/// The gradient of a model's mean loss from Swift's reverse-mode automatic differentiation: a third
/// opinion beside the chain rule (`analyticGradient`) and the central difference.
public enum AutodiffGradient {
    /// True when this build's compiler differentiates Swift (the `_Differentiation` module).
    public static var isAvailable: Bool {
        #if canImport(_Differentiation)
        true
        #else
        false
        #endif
    }

    /// The gradient of `model`'s mean loss over `batch` at `parameters`, into `gradient` (NaN
    /// everywhere when the build has no automatic differentiation).
    public static func compute(_ model: Model, _ parameters: [Double], on data: Dataset, batch: ArraySlice<Int>,
                               into gradient: inout [Double]) {
        #if canImport(_Differentiation)
        let samples = Array(batch)
        let result: [Double]
        switch model {
        case .neuron(let neuron):
            result = _Differentiation.gradient(at: parameters) { p in
                DifferentiableLoss.neuron(p, inputCount: neuron.inputCount, data: data, batch: samples, form: neuron.loss)
            }.base
        case .network(let network):
            result = _Differentiation.gradient(at: parameters) { p in
                DifferentiableLoss.network(p, sizes: network.sizes, activation: network.activation, data: data,
                                           batch: samples, form: network.loss)
            }.base
        }
        for k in gradient.indices { gradient[k] = k < result.count ? result[k] : 0 }
        #else
        for k in gradient.indices { gradient[k] = .nan }
        #endif
    }
}
