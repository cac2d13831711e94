import Training

extension ConfigProblem {
    /// The command-line option that sets the setting, without dashes.
    public var option: String {
        switch setting {
        case .learningRate: "lr"
        case .batchSize: "batch-size"
        case .weights: "w"
        case .bias: "b"
        case .checkEvery: "check-every"
        case .initialValues: "init"
        case .epochs, .eps, .atol, .rtol, .seed, .label, .hidden, .activation, .autodiff, .fault: setting.rawValue
        }
    }

    /// What the option accepts, in words.
    public var allowed: String {
        switch rule {
        case .positiveFinite: "a finite number greater than 0"
        case .nonNegativeFinite: "a finite number of at least 0"
        case .atLeastOne: "a whole number of at least 1"
        case .finite: setting == .weights ? "finite numbers" : "a finite number"
        case let .batchSize(samples, dataset): "a whole number from 1 to \(samples), the number of samples in \(dataset)"
        case let .oneValuePerInput(inputs, dataset): "\(inputs) comma-separated value(s), one per input of \(dataset)"
        case .seedRange: "a whole number from 0 to \(Int64.max)"
        case .onlyForFiles(let builtIn): "no --label with the built-in dataset \(builtIn): it applies to CSV files"
        case let .hiddenLayers(maxLayers, maxUnits):
            "up to \(maxLayers) comma-separated layer sizes, each a whole number from 1 to \(maxUnits) (e.g. 4 or 8,4)"
        case .notWithHidden: "no --\(option) with --hidden or --init: give every initial parameter by name with --init FILE.json"
        case .onlyWithHidden: "sigmoid without --hidden (the single neuron, and every network's output unit, is a sigmoid)"
        case .oneFinitePerParameter(let count): "a finite value for each of the model's \(count) parameters"
        case let .tooManyParameters(count, limit):
            "layers that make at most \(limit) parameters (these make \(count); every step logs each one)"
        case .existingUnit(let sizes):
            "a unit of the model, l{layer}.n{unit}: " + sizes.enumerated().map { layer, units in
                units == 1 ? "l\(layer + 1).n1" : "l\(layer + 1).n1 to l\(layer + 1).n\(units)"
            }.joined(separator: ", ")
        case .compilerDifferentiates:
            "a gradlog built by a Swift compiler with automatic differentiation (`import _Differentiation`); this build has none"
        }
    }

    /// The problem in one sentence, e.g. `--lr 0.0 is not allowed: expected a finite number greater than 0`.
    public var message: String {
        // A flag has no value to quote.
        value.isEmpty ? "--\(option) is not available: it needs \(allowed)" : "--\(option) \(value) is not allowed: expected \(allowed)"
    }
}
