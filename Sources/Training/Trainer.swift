/// Gradient descent on one sigmoid neuron or a network, one step at a time, with a gradient check
/// at every step (or every `checkEvery` steps).
///
/// ```swift
/// var trainer = Trainer(dataset: .lesson, config: TrainingConfig())
/// var record = StepRecord(parameterCount: trainer.parameters.count)
/// while trainer.next(into: &record) { print(record.step, record.loss) }
/// ```
public struct Trainer: Sendable {
    /// Why a run stopped early.
    public enum Divergence: Equatable, Sendable, CustomStringConvertible {
        /// The batch loss was NaN or infinite.
        case lossNotFinite(step: Int, loss: Double)
        /// The textbook loss was NaN or infinite at finite parameters: log(0) where the sigmoid
        /// rounded to 0 or 1 (a saturated neuron), which the stable form avoids.
        case textbookLossSaturated(step: Int, loss: Double)
        /// A parameter became NaN or infinite after an update.
        case parameterNotFinite(step: Int, param: String, value: Double)

        /// True when the learning rate cannot be the cause: the loss was already NaN or infinite at
        /// the initial parameters, before any update (a parameter that overflows at step 1 did so in
        /// that step's update, so it is not).
        public var happenedBeforeAnyUpdate: Bool {
            switch self {
            case .lossNotFinite(let step, _), .textbookLossSaturated(let step, _): step == 1
            case .parameterNotFinite: false
            }
        }

        public var description: String {
            switch self {
            case let .lossNotFinite(step, loss): "the loss at step \(step) is \(Self.shown(loss))"
            case let .textbookLossSaturated(step, loss):
                "the textbook loss at step \(step) is \(Self.shown(loss)): its log(0) where the neuron is saturated "
                    + "(the sigmoid rounded to 0 or 1 at finite parameters); the stable loss stays finite there"
            case let .parameterNotFinite(step, param, value): "\(param) became \(Self.shown(value)) after step \(step)"
            }
        }

        /// A value as messages show it: every NaN as `nan`, whatever its sign bit.
        private static func shown(_ value: Double) -> String { value.isNaN ? "nan" : "\(value)" }
    }

    /// The samples.
    public let dataset: Dataset
    /// The hyperparameters.
    public let config: TrainingConfig
    /// The model being trained.
    public let model: Model
    /// The parameter names, in the order of `parameters`.
    public let parameterNames: [String]
    /// How the initial weights were chosen.
    public let initialSource: InitialParameters.Source
    /// The parameters at the start of the run.
    public let initialParameters: [Double]
    /// The current parameters: weights, then bias.
    public private(set) var parameters: [Double]
    /// Set when the run stopped because a value stopped being finite.
    public private(set) var divergence: Divergence?
    /// Steps taken so far.
    public private(set) var stepCount = 0
    /// The epoch of the next step (or epochs + 1 when done).
    public private(set) var epoch = 1

    private let batchSize: Int
    private var generator: SplitMix64
    /// The generator as the first step finds it, after the initial weights were drawn.
    let startGenerator: SplitMix64
    /// A network's scratch space, reused by every pass (empty for the single neuron).
    private var outputs: [[Double]] = []
    private var deltas: [[Double]] = []
    private var order: [Int]
    private var batchStart = 0

    /// Prepares a run; `config` must have no `problems(for:)`.
    public init(dataset: Dataset, config: TrainingConfig) {
        self.dataset = dataset
        self.config = config
        model = Model(config, inputCount: dataset.inputCount)
        parameterNames = model.parameterNames
        if case .network(let network) = model {
            outputs = network.makeOutputs()
            deltas = network.makeDeltas()
        }
        generator = SplitMix64(seed: config.seed)
        let start = InitialParameters.resolve(config, for: dataset, generator: &generator)
        initialParameters = start.parameters
        initialSource = start.source
        parameters = start.parameters
        startGenerator = generator
        batchSize = config.effectiveBatchSize(for: dataset)
        order = Array(0..<dataset.sampleCount)
    }

    /// Steps in each epoch: ⌈samples / batch size⌉.
    public var stepsPerEpoch: Int { (dataset.sampleCount + batchSize - 1) / batchSize }

    /// The steps a run that does not diverge takes.
    public var plannedSteps: Int { stepsPerEpoch * config.epochs }

    /// True once every epoch has run or the run diverged.
    public var isFinished: Bool { divergence != nil || epoch > config.epochs }

    /// Takes one step and fills `record` with what it measured; returns false when the run is over.
    public mutating func next(into record: inout StepRecord) -> Bool {
        guard !isFinished else { return false }
        if batchStart == 0 && batchSize < dataset.sampleCount {
            generator.shuffle(&order)
        }
        let batchEnd = min(batchStart + batchSize, dataset.sampleCount)
        let batch = order[batchStart..<batchEnd]
        stepCount += 1
        record.step = stepCount
        record.epoch = epoch
        record.batchSize = batch.count
        for k in parameters.indices { record.values[k] = parameters[k] }
        record.checked = (stepCount - 1) % config.checkEvery == 0
        evaluate(batch, into: &record)
        for k in parameters.indices {
            record.passed[k] = record.checked && config.check.passes(analytic: record.analytic[k], numeric: record.numeric[k])
            parameters[k] = parameters[k] - config.learningRate * record.analytic[k]
        }
        advance(to: batchEnd)
        checkFinite(loss: record.loss, evaluatedAt: record.values)
        return true
    }

    /// The loss, the analytic gradient and, at a checked step, the numeric gradient (else NaN).
    private mutating func evaluate(_ batch: ArraySlice<Int>, into record: inout StepRecord) {
        switch model {
        case .neuron(let neuron):
            record.loss = neuron.meanLoss(parameters, on: dataset, batch: batch)
            neuron.analyticGradient(parameters, on: dataset, batch: batch, into: &record.analytic)
            if record.checked {
                neuron.numericGradient(&parameters, eps: config.eps, on: dataset, batch: batch, into: &record.numeric)
            }
        case .network(let network):
            record.loss = network.meanLoss(parameters, on: dataset, batch: batch, outputs: &outputs)
            network.analyticGradient(parameters, on: dataset, batch: batch, into: &record.analytic,
                                     outputs: &outputs, deltas: &deltas)
            if record.checked {
                network.numericGradient(&parameters, eps: config.eps, on: dataset, batch: batch,
                                        into: &record.numeric, outputs: &outputs)
            }
        }
        if !record.checked {
            for k in record.numeric.indices { record.numeric[k] = .nan }
            // Only a run that computes it ever wrote a number there.
            if config.autodiff {
                for k in record.autodiff.indices { record.autodiff[k] = .nan }
            }
        } else if config.autodiff {
            AutodiffGradient.compute(model, parameters, on: dataset, batch: batch, into: &record.autodiff)
        }
    }

    private mutating func advance(to batchEnd: Int) {
        if batchEnd == dataset.sampleCount {
            batchStart = 0
            epoch += 1
        } else {
            batchStart = batchEnd
        }
    }

    private mutating func checkFinite(loss: Double, evaluatedAt values: [Double]) {
        if !loss.isFinite && config.loss == .textbook && values.allSatisfy(\.isFinite) {
            divergence = .textbookLossSaturated(step: stepCount, loss: loss)
        } else if !loss.isFinite {
            divergence = .lossNotFinite(step: stepCount, loss: loss)
        } else if let k = parameters.firstIndex(where: { !$0.isFinite }) {
            divergence = .parameterNotFinite(step: stepCount, param: parameterNames[k], value: parameters[k])
        }
    }
}
