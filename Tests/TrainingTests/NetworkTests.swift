import Testing
@testable import Training

@Suite struct NetworkTests {
    /// A dataset of `samples` random samples with `inputs` inputs in [-2, 2) and random labels.
    func randomData(inputs: Int, samples: Int, _ generator: inout SplitMix64) -> Dataset {
        Dataset(name: "random", featureNames: (1...inputs).map { "x\($0)" },
                inputs: (0..<(inputs * samples)).map { _ in generator.nextUnitDouble() * 4 - 2 },
                labels: (0..<samples).map { _ in Double(generator.nextIndex(below: 2)) })
    }

    func gradients(_ network: Network, _ parameters: [Double], on data: Dataset) -> (analytic: [Double], numeric: [Double]) {
        var analytic = Array(repeating: 0.0, count: network.parameterCount)
        var numeric = analytic
        var outputs = network.makeOutputs()
        var deltas = network.makeDeltas()
        var theta = parameters
        let batch = Array(0..<data.sampleCount)[...]
        network.analyticGradient(theta, on: data, batch: batch, into: &analytic, outputs: &outputs, deltas: &deltas)
        network.numericGradient(&theta, eps: 1e-6, on: data, batch: batch, into: &numeric, outputs: &outputs)
        #expect(theta == parameters)  // restored bit for bit
        return (analytic, numeric)
    }

    @Test func parametersAreNamedLayerByLayerAndUnitByUnit() {
        #expect(Network.parameterNames(inputCount: 2, hidden: [2]) == [
            "l1.n1.w1", "l1.n1.w2", "l1.n1.b", "l1.n2.w1", "l1.n2.w2", "l1.n2.b", "l2.n1.w1", "l2.n1.w2", "l2.n1.b",
        ])
        let network = Network(inputCount: 3, hidden: [4, 2], loss: .stable)
        #expect(network.parameterCount == 4 * 4 + 2 * 5 + 3)
        #expect(network.parameterLayers == Array(repeating: 1, count: 16) + Array(repeating: 2, count: 10) + [3, 3, 3])
        #expect(Network.parameterNames(inputCount: 3, hidden: [4, 2]).allSatisfy(ParameterName.isValid))
    }

    @Test(arguments: [(2, [2]), (3, [4]), (2, [3, 2]), (4, [2, 3, 2]), (1, [5])])
    func backpropagationAgreesWithTheCentralDifferenceOnRandomNetworks(inputs: Int, hidden: [Int]) {
        var generator = SplitMix64(seed: UInt64(inputs * 100 + hidden.reduce(0, +)))
        for activation in Activation.allCases {
            for loss in Loss.allCases {
                let network = Network(inputCount: inputs, hidden: hidden, activation: activation, loss: loss)
                let data = randomData(inputs: inputs, samples: 6, &generator)
                let parameters = network.glorotParameters(&generator).map { $0 + (generator.nextUnitDouble() - 0.5) * 0.2 }
                let (analytic, numeric) = gradients(network, parameters, on: data)
                for k in analytic.indices {
                    #expect(GradientCheck.defaultTolerance.passes(analytic: analytic[k], numeric: numeric[k]),
                            "\(activation) \(loss) \(Network.parameterNames(inputCount: inputs, hidden: hidden)[k]): \(analytic[k]) vs \(numeric[k])")
                }
            }
        }
    }

    @Test func withoutHiddenLayersItIsTheNeuronBitForBit() {
        var generator = SplitMix64(seed: 5)
        let data = randomData(inputs: 3, samples: 5, &generator)
        let network = Network(inputCount: 3, hidden: [], loss: .textbook)
        let neuron = Neuron(inputCount: 3, loss: .textbook)
        let parameters = [0.3, -0.7, 1.1, 0.05]
        var fromNeuron = Array(repeating: 0.0, count: 4)
        neuron.analyticGradient(parameters, on: data, batch: (0..<5)[...].map { $0 }[...], into: &fromNeuron)
        let (analytic, _) = gradients(network, parameters, on: data)
        #expect(analytic.map(\.bitPattern) == fromNeuron.map(\.bitPattern))
        var outputs = network.makeOutputs()
        #expect(network.meanLoss(parameters, on: data, batch: [0, 1, 2, 3, 4], outputs: &outputs).bitPattern
                == neuron.meanLoss(parameters, on: data, batch: [0, 1, 2, 3, 4]).bitPattern)
    }

    @Test func aTwoLayerChainMatchesItsHandDerivedGradientExactly() {
        // x → h = σ(a·x + b) → t = c·h + d, label 1: δ₂ = σ(t) - 1 = -σ(-t), δ₁ = c·δ₂·h(1 - h).
        let (a, b, c, d, x) = (0.5, -1.0, 2.0, 0.25, 2.0)
        let data = Dataset(name: "one", featureNames: ["x"], inputs: [x], labels: [1])
        let network = Network(inputCount: 1, hidden: [1], loss: .stable)
        let h = Sigmoid.value(a * x + b)
        let t = c * h + d
        let delta2 = -Sigmoid.value(-t)
        let delta1 = c * delta2 * (h * (1 - h))
        let (analytic, _) = gradients(network, [a, b, c, d], on: data)
        #expect(analytic == [delta1 * x, delta1, delta2 * h, delta2])
        #expect(h == 0.5 && t == 1.25)
        #expect(analytic[2] == -0.11135006941265442)  // -h·σ(-t) = -0.5 / (1 + e^1.25), by hand
    }

    @Test(arguments: [FaultyUnit(layer: 1, unit: 3), FaultyUnit(layer: 2, unit: 1), FaultyUnit(layer: 3, unit: 1)])
    func aFaultInOneUnitsBackwardPassIsCaughtInThatUnitsWeightsOnly(fault: FaultyUnit) {
        var generator = SplitMix64(seed: 11)
        var network = Network(inputCount: 3, hidden: [4, 3], loss: .stable)
        let data = randomData(inputs: 3, samples: 8, &generator)
        let parameters = network.glorotParameters(&generator).map { $0 + 0.1 }
        network.fault = fault
        let (analytic, numeric) = gradients(network, parameters, on: data)
        let places = Model.network(network).parameterPlaces
        let failed = places.indices.filter { !GradientCheck.defaultTolerance.passes(analytic: analytic[$0], numeric: numeric[$0]) }
        #expect(!failed.isEmpty && failed.allSatisfy { fault.holds(places[$0]) && places[$0].input != nil })
        #expect(FaultyUnit(fault.description) == fault)
    }

    @Test func glorotWeightsAreSeededWithinTheirRangeAndBiasesStartAtZero() {
        let network = Network(inputCount: 2, hidden: [4], loss: .stable)
        var first = SplitMix64(seed: 42)
        var second = SplitMix64(seed: 42)
        let parameters = network.glorotParameters(&first)
        #expect(parameters == network.glorotParameters(&second))
        let names = Network.parameterNames(inputCount: 2, hidden: [4])
        for (name, value) in zip(names, parameters) {
            if name.hasSuffix(".b") {
                #expect(value == 0)
            } else {
                let range = name.hasPrefix("l1.") ? (6.0 / 6).squareRoot() : (6.0 / 5).squareRoot()
                #expect(abs(value) <= range && value != 0, "\(name)")
            }
        }
    }

    @Test func oneHiddenLayerLearnsXorWhereOneNeuronCannot() {
        let network = Network(inputCount: 2, hidden: [4], loss: .stable)
        var generator = SplitMix64(seed: 42)
        var parameters = network.glorotParameters(&generator)
        var gradient = Array(repeating: 0.0, count: network.parameterCount)
        var outputs = network.makeOutputs()
        var deltas = network.makeDeltas()
        for _ in 0..<3000 {
            network.analyticGradient(parameters, on: .xor, batch: [0, 1, 2, 3], into: &gradient, outputs: &outputs, deltas: &deltas)
            for k in parameters.indices { parameters[k] -= 1.0 * gradient[k] }
        }
        #expect(network.accuracy(parameters, on: .xor) == 1.0)
    }
}
