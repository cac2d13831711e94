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

    /// The seed used when none is given.
    public static let defaultSeed: UInt64 = 42

    /// A configuration with every default.
    public init() {}

    /// The batch size actually used on `data`.
    public func effectiveBatchSize(for data: Dataset) -> Int {
        batchSize ?? data.sampleCount
    }

    /// Every value that is not allowed, named by its command-line option; empty when all are fine.
    public func problems(for data: Dataset) -> [ConfigProblem] {
        var problems: [ConfigProblem] = []
        if !(learningRate.isFinite && learningRate > 0) {
            problems.append(.init(option: "lr", value: "\(learningRate)", allowed: "a finite number greater than 0"))
        }
        if epochs < 1 {
            problems.append(.init(option: "epochs", value: "\(epochs)", allowed: "a whole number of at least 1"))
        }
        if !(eps.isFinite && eps > 0) {
            problems.append(.init(option: "eps", value: "\(eps)", allowed: "a finite number greater than 0"))
        }
        if !(check.atol.isFinite && check.atol >= 0) {
            problems.append(.init(option: "atol", value: "\(check.atol)", allowed: "a finite number of at least 0"))
        }
        if !(check.rtol.isFinite && check.rtol >= 0) {
            problems.append(.init(option: "rtol", value: "\(check.rtol)", allowed: "a finite number of at least 0"))
        }
        if let batchSize, !(batchSize >= 1 && batchSize <= data.sampleCount) {
            problems.append(
                .init(option: "batch-size", value: "\(batchSize)",
                      allowed: "a whole number from 1 to \(data.sampleCount), the number of samples in \(data.name)"))
        }
        if let weights {
            if weights.count != data.inputCount {
                problems.append(
                    .init(option: "w", value: weights.map { "\($0)" }.joined(separator: ","),
                          allowed: "\(data.inputCount) comma-separated value(s), one per input of \(data.name)"))
            } else if !weights.allSatisfy(\.isFinite) {
                problems.append(.init(option: "w", value: weights.map { "\($0)" }.joined(separator: ","),
                                      allowed: "finite numbers"))
            }
        }
        if let bias, !bias.isFinite {
            problems.append(.init(option: "b", value: "\(bias)", allowed: "a finite number"))
        }
        if seed > UInt64(Int64.max) {
            problems.append(.init(option: "seed", value: "\(seed)", allowed: "a whole number from 0 to \(Int64.max)"))
        }
        return problems
    }
}

/// One option value that is not allowed, and what would be.
public struct ConfigProblem: Error, Equatable, Sendable, CustomStringConvertible {
    /// The option's name without dashes, e.g. `lr`.
    public let option: String
    /// The value given, as text.
    public let value: String
    /// What the option accepts.
    public let allowed: String

    /// Creates a problem report for option `option` (without dashes).
    public init(option: String, value: String, allowed: String) {
        self.option = option
        self.value = value
        self.allowed = allowed
    }

    public var description: String { "--\(option) \(value) is not allowed: expected \(allowed)" }
}
