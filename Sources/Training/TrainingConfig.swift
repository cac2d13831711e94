/// Everything that determines a training run's numbers, besides its samples.
public struct TrainingConfig: Equatable, Sendable {
    /// The form of cross-entropy to minimise.
    public var loss: Loss = .stable
    /// The learning rate of θ ← θ - lr·∂L/∂θ.
    public var learningRate: Double = 0.1
    /// How many passes over the samples.
    public var epochs: Int = 100
    /// Samples per step; nil means the full batch (one step per epoch).
    public var batchSize: Int?
    /// The seed of the generator that draws random initial weights and shuffles mini-batches.
    public var seed: UInt64 = TrainingConfig.defaultSeed
    /// The step ε of the central difference.
    public var eps: Double = 1e-6
    /// The tolerances of the gradient check.
    public var check: GradientCheck = .defaultTolerance
    /// Initial weights, one per input; nil means the dataset's default (see `InitialParameters`).
    public var weights: [Double]?
    /// Initial bias; nil means the dataset's default.
    public var bias: Double?
    /// How the analytic gradient's residual is computed: `.exact` for new runs; a stored run keeps
    /// the form it was logged with (see `Residual`).
    public var residual: Residual = .exact
    /// Units per hidden layer; empty for the single neuron.
    public var hidden: [Int] = []
    /// The hidden units' activation.
    public var activation: Activation = .sigmoid
    /// The numeric gradient and the check are computed at steps 1, 1 + K, 1 + 2K, … (K = 1: every step).
    public var checkEvery: Int = 1
    /// Every initial parameter in storage order, when given in full (`--init`, or a stored run).
    public var initialValues: [Double]?
    /// At each checked step, also the gradient that Swift's automatic differentiation derives from
    /// the loss written as a differentiable function (`AutodiffGradient`).
    public var autodiff = false
    /// A unit whose chain-rule gradient is made wrong on purpose (a teaching aid), nil for none.
    public var fault: FaultyUnit?

    /// The most hidden layers, and units in one, that a run may have.
    public static let maxHiddenLayers = 8, maxHiddenUnits = 1_024
    /// The most parameters a run may have: each step writes a gradient row for every one of them.
    public static let maxParameters = 10_000

    /// The seed used when none is given.
    public static let defaultSeed: UInt64 = 42

    /// A configuration with every default.
    public init() {}

    /// The batch size actually used on `data`.
    public func effectiveBatchSize(for data: Dataset) -> Int {
        batchSize ?? data.sampleCount
    }

    /// Every value that is not allowed, with the rule it breaks; empty when all are fine.
    public func problems(for data: Dataset) -> [ConfigProblem] {
        var problems: [ConfigProblem] = []
        func add(_ setting: ConfigProblem.Setting, _ value: String, _ rule: ConfigProblem.Rule) {
            problems.append(ConfigProblem(setting: setting, value: value, rule: rule))
        }
        if !(learningRate.isFinite && learningRate > 0) { add(.learningRate, "\(learningRate)", .positiveFinite) }
        if epochs < 1 { add(.epochs, "\(epochs)", .atLeastOne) }
        if !(eps.isFinite && eps > 0) { add(.eps, "\(eps)", .positiveFinite) }
        if !(check.atol.isFinite && check.atol >= 0) { add(.atol, "\(check.atol)", .nonNegativeFinite) }
        if !(check.rtol.isFinite && check.rtol >= 0) { add(.rtol, "\(check.rtol)", .nonNegativeFinite) }
        if let batchSize, !(batchSize >= 1 && batchSize <= data.sampleCount) {
            add(.batchSize, "\(batchSize)", .batchSize(samples: data.sampleCount, dataset: data.name))
        }
        if let weights {
            let text = weights.map { "\($0)" }.joined(separator: ",")
            if weights.count != data.inputCount {
                add(.weights, text, .oneValuePerInput(inputs: data.inputCount, dataset: data.name))
            } else if !weights.allSatisfy(\.isFinite) {
                add(.weights, text, .finite)
            }
        }
        if let bias, !bias.isFinite { add(.bias, "\(bias)", .finite) }
        if seed > UInt64(Int64.max) { add(.seed, "\(seed)", .seedRange) }
        if autodiff && !AutodiffGradient.isAvailable { add(.autodiff, "", .compilerDifferentiates) }
        addModelProblems(for: data, add)
        return problems
    }
}

extension TrainingConfig {
    /// True when the hidden layers are few enough and each has from 1 to `maxHiddenUnits` units.
    public var hasValidHiddenLayers: Bool {
        hidden.count <= Self.maxHiddenLayers && hidden.allSatisfy { (1...Self.maxHiddenUnits).contains($0) }
    }

    /// The problems of the model's own settings: hidden layers, the check interval, and initial
    /// values given in full.
    fileprivate func addModelProblems(for data: Dataset, _ add: (ConfigProblem.Setting, String, ConfigProblem.Rule) -> Void) {
        if !hasValidHiddenLayers {
            add(.hidden, hidden.map(String.init).joined(separator: ","),
                .hiddenLayers(maxLayers: Self.maxHiddenLayers, maxUnits: Self.maxHiddenUnits))
        }
        if checkEvery < 1 { add(.checkEvery, "\(checkEvery)", .atLeastOne) }
        if hasValidHiddenLayers, case .network(let network) = Model(self, inputCount: data.inputCount),
           network.parameterCount > Self.maxParameters {
            add(.hidden, hidden.map(String.init).joined(separator: ","),
                .tooManyParameters(count: network.parameterCount, limit: Self.maxParameters))
        }
        if !hidden.isEmpty || initialValues != nil {
            if let weights { add(.weights, weights.map { "\($0)" }.joined(separator: ","), .notWithHidden) }
            if let bias { add(.bias, "\(bias)", .notWithHidden) }
        }
        if hidden.isEmpty && activation != .sigmoid { add(.activation, activation.rawValue, .onlyWithHidden) }
        if let fault, hasValidHiddenLayers {
            let sizes = hidden + [1]
            if !(1...sizes.count).contains(fault.layer) || !(1...sizes[fault.layer - 1]).contains(fault.unit) {
                add(.fault, fault.description, .existingUnit(layerSizes: sizes))
            }
        }
        guard let initialValues, hasValidHiddenLayers else { return }
        let expected = Model(self, inputCount: data.inputCount).parameterNames.count
        if initialValues.count != expected || !initialValues.allSatisfy(\.isFinite) {
            add(.initialValues, "\(initialValues.count) value(s)", .oneFinitePerParameter(count: expected))
        }
    }
}

/// One setting whose value is not allowed, and the rule it breaks; the command line words it.
public struct ConfigProblem: Error, Equatable, Sendable {
    /// The settings a problem can be about.
    public enum Setting: String, Sendable {
        case learningRate, epochs, eps, atol, rtol, batchSize, weights, bias, seed, hidden, checkEvery, initialValues
        case activation
        /// The third gradient, from automatic differentiation.
        case autodiff
        /// The unit with a deliberately wrong backward pass.
        case fault
        /// Which CSV column holds the labels (only files have columns).
        case label
    }

    /// What the setting's value must be.
    public enum Rule: Equatable, Sendable {
        /// A finite number greater than 0.
        case positiveFinite
        /// A finite number of at least 0.
        case nonNegativeFinite
        /// A whole number of at least 1.
        case atLeastOne
        /// A finite number.
        case finite
        /// A whole number from 1 to the number of samples of the dataset.
        case batchSize(samples: Int, dataset: String)
        /// One value per input of the dataset.
        case oneValuePerInput(inputs: Int, dataset: String)
        /// A whole number from 0 to Int64.max (SQLite's integers are signed).
        case seedRange
        /// Not given at all with a built-in dataset.
        case onlyForFiles(builtIn: String)
        /// At most `maxLayers` whole numbers, each from 1 to `maxUnits`.
        case hiddenLayers(maxLayers: Int, maxUnits: Int)
        /// Not given together with hidden layers (whose parameters have other names) or `--init`.
        case notWithHidden
        /// Only meaningful with hidden layers.
        case onlyWithHidden
        /// Exactly `count` finite values, one per parameter.
        case oneFinitePerParameter(count: Int)
        /// Layers small enough that the model has at most `limit` parameters (these give `count`).
        case tooManyParameters(count: Int, limit: Int)
        /// A build whose compiler has Swift's automatic differentiation (`_Differentiation`).
        case compilerDifferentiates
        /// A unit of the model: layers from 1 to `layerSizes.count`, each with its units from 1.
        case existingUnit(layerSizes: [Int])
    }

    /// The setting.
    public let setting: Setting
    /// The value given, as text.
    public let value: String
    /// The rule the value breaks.
    public let rule: Rule

    /// Creates a problem report.
    public init(setting: Setting, value: String, rule: Rule) {
        self.setting = setting
        self.value = value
        self.rule = rule
    }
}
