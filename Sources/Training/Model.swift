/// What a run trains: the lesson's single neuron, or a network with hidden layers.
public enum Model: Sendable {
    /// One sigmoid neuron (no `--hidden`): today's names and numbers.
    case neuron(Neuron)
    /// Hidden layers and one output unit.
    case network(Network)

    /// The model `config` describes for data with `inputCount` inputs.
    public init(_ config: TrainingConfig, inputCount: Int) {
        if config.hidden.isEmpty {
            self = .neuron(Neuron(inputCount: inputCount, loss: config.loss, residual: config.residual,
                                  isFaulty: config.fault == FaultyUnit(layer: 1, unit: 1)))
        } else {
            var network = Network(inputCount: inputCount, hidden: config.hidden, activation: config.activation,
                                  loss: config.loss, residual: config.residual)
            network.fault = config.fault
            self = .network(network)
        }
    }

    /// How many parameters the model has, without naming them.
    public var parameterCount: Int {
        switch self {
        case .neuron(let neuron): neuron.inputCount + 1
        case .network(let network): network.parameterCount
        }
    }

    /// The parameter names in storage order.
    public var parameterNames: [String] {
        switch self {
        case .neuron(let neuron): Neuron.parameterNames(inputCount: neuron.inputCount)
        case .network(let network): Network.parameterNames(inputCount: network.inputCount, hidden: network.hidden)
        }
    }

    /// Where each parameter sits: its layer and unit (from 1; the single neuron is layer 1, unit 1)
    /// and the input it multiplies (from 1; nil for a bias), in storage order.
    public var parameterPlaces: [(layer: Int, unit: Int, input: Int?)] {
        switch self {
        case .neuron(let neuron):
            return (1...neuron.inputCount).map { (1, 1, $0) } + [(1, 1, nil)]
        case .network(let network):
            var places: [(layer: Int, unit: Int, input: Int?)] = []
            for layer in 1...network.layerCount {
                for unit in 1...network.sizes[layer] {
                    places += (1...network.sizes[layer - 1]).map { (layer, unit, $0) } + [(layer, unit, nil)]
                }
            }
            return places
        }
    }

    /// The share of samples predicted right (1 when the output logit is ≥ 0).
    public func accuracy(_ parameters: [Double], on data: Dataset) -> Double {
        switch self {
        case .neuron(let neuron): neuron.accuracy(parameters, on: data)
        case .network(let network): network.accuracy(parameters, on: data)
        }
    }
}

extension Model {
    /// The mean loss over `batch` at `parameters` (allocating its scratch space: not for the hot path).
    public func meanLoss(_ parameters: [Double], on data: Dataset, batch: ArraySlice<Int>) -> Double {
        switch self {
        case .neuron(let neuron): return neuron.meanLoss(parameters, on: data, batch: batch)
        case .network(let network):
            var outputs = network.makeOutputs()
            return network.meanLoss(parameters, on: data, batch: batch, outputs: &outputs)
        }
    }

    /// The chain-rule gradient over `batch` at `parameters` (allocating: not for the hot path).
    public func analyticGradient(_ parameters: [Double], on data: Dataset, batch: ArraySlice<Int>) -> [Double] {
        var gradient = Array(repeating: 0.0, count: parameters.count)
        switch self {
        case .neuron(let neuron): neuron.analyticGradient(parameters, on: data, batch: batch, into: &gradient)
        case .network(let network):
            var outputs = network.makeOutputs(), deltas = network.makeDeltas()
            network.analyticGradient(parameters, on: data, batch: batch, into: &gradient, outputs: &outputs, deltas: &deltas)
        }
        return gradient
    }
}
