/// A network of sigmoid (or tanh) hidden layers and one sigmoid output unit, trained with binary
/// cross-entropy: the lesson's neuron, repeated along a longer path.
///
/// Parameters are kept in one array, layer by layer, unit by unit: each unit's weights in input
/// order, then its bias, the order of `parameterNames` (`l1.n1.w1, l1.n1.w2, l1.n1.b, l1.n2.w1, …`).
/// Layers are numbered from 1 (the first hidden layer) to L (the output, one unit).
public struct Network: Sendable {
    /// The number of data inputs.
    public let inputCount: Int
    /// Units per hidden layer, in order.
    public let hidden: [Int]
    /// The hidden units' activation.
    public let activation: Activation
    /// The form of cross-entropy.
    public let loss: Loss
    /// How the output residual a - y is computed.
    public let residual: Residual
    /// Units per layer, inputs first: [inputs, hidden..., 1].
    public let sizes: [Int]
    /// Where each layer's parameters start in the parameter array (index 0 is layer 1).
    let layerOffsets: [Int]
    /// The unit whose weight gradients drop their input factor (`FaultyUnit`), nil for a correct backward pass.
    public var fault: FaultyUnit?

    /// Creates a network; every entry of `hidden` must be at least 1.
    public init(inputCount: Int, hidden: [Int], activation: Activation = .sigmoid, loss: Loss,
                residual: Residual = .exact) {
        self.inputCount = inputCount
        self.hidden = hidden
        self.activation = activation
        self.loss = loss
        self.residual = residual
        sizes = [inputCount] + hidden + [1]
        var offsets: [Int] = []
        var offset = 0
        for layer in 1..<sizes.count {
            offsets.append(offset)
            offset += sizes[layer] * (sizes[layer - 1] + 1)
        }
        layerOffsets = offsets + [offset]
    }

    /// The number of layers with parameters (hidden layers and the output).
    public var layerCount: Int { sizes.count - 1 }

    /// The number of parameters.
    public var parameterCount: Int { layerOffsets[layerCount] }

    /// The parameter names in storage order.
    public static func parameterNames(inputCount: Int, hidden: [Int]) -> [String] {
        let sizes = [inputCount] + hidden + [1]
        var names: [String] = []
        for layer in 1..<sizes.count {
            for unit in 1...sizes[layer] {
                names += (1...sizes[layer - 1]).map { "l\(layer).n\(unit).w\($0)" } + ["l\(layer).n\(unit).b"]
            }
        }
        return names
    }

    /// The layer (from 1) of each parameter, in storage order.
    public var parameterLayers: [Int] {
        (1...layerCount).flatMap { layer in
            Array(repeating: layer, count: layerOffsets[layer] - layerOffsets[layer - 1])
        }
    }

    /// Index of unit `unit`'s first weight in `layer` (both from 1); its bias follows its weights.
    func index(layer: Int, unit: Int) -> Int {
        layerOffsets[layer - 1] + (unit - 1) * (sizes[layer - 1] + 1)
    }

    /// Initial parameters: each weight uniform in ±√(6 / (fan_in + fan_out)) (Glorot), drawn in
    /// storage order from `generator`, one draw per weight; every bias 0.
    public func glorotParameters(_ generator: inout SplitMix64) -> [Double] {
        var parameters = Array(repeating: 0.0, count: parameterCount)
        for layer in 1...layerCount {
            let range = (6 / Double(sizes[layer - 1] + sizes[layer])).squareRoot()
            for unit in 1...sizes[layer] {
                let start = index(layer: layer, unit: unit)
                for input in 0..<sizes[layer - 1] {
                    parameters[start + input] = (2 * generator.nextUnitDouble() - 1) * range
                }
            }
        }
        return parameters
    }
}
