/// One step computed by someone else's training code (the step contract of `gradlog log` and
/// GradlogKit, version 3): a step number and something logged, a loss, a metric or parameter
/// values (of every parameter or some); gradients beside the values when the code has them.
public struct ExternalStep: Sendable {
    /// The step number: any positive integer greater than the previous step's (gaps are allowed:
    /// a loop that logs every 10 steps gives 10, 20, 30, ...).
    public var step: Int
    /// The epoch: at least 1 and never below the previous step's; nil makes every step its own
    /// epoch (the epoch is the step number).
    public var epoch: Int?
    /// The loss at the step's parameters, nil when the step logs none (a NaN is logged as NaN).
    public var loss: Double?
    /// Samples in the step's batch, nil when unknown.
    public var batchSize: Int?
    /// Parameter values where loss and gradients were evaluated: of every parameter of the run in
    /// order (its parameters, then `newParameters`), or of those at `positions`; nil when the step
    /// logs no parameter (then it writes no gradient row).
    public var values: [Double]?
    /// The positions in the run's parameter list of the parameters `values` gives, each once; nil:
    /// every parameter, in order. The run's parameters come first, then `newParameters`.
    public var positions: [Int]?
    /// Parameters the step names for the first time, after the run's: it gives their values.
    public var newParameters: [String]
    /// The chain-rule gradient of each parameter in `values`, if computed.
    public var analytic: [Double]?
    /// The finite-difference gradient of each parameter in `values`, if computed.
    public var numeric: [Double]?
    /// Further named scalars of the step (e.g. `val_loss`).
    public var metrics: [(name: String, value: Double)]

    /// Creates a step.
    public init(step: Int, epoch: Int? = nil, loss: Double? = nil, batchSize: Int? = nil, values: [Double]? = nil,
                positions: [Int]? = nil, newParameters: [String] = [], analytic: [Double]? = nil, numeric: [Double]? = nil,
                metrics: [(name: String, value: Double)] = []) {
        self.step = step
        self.epoch = epoch
        self.loss = loss
        self.batchSize = batchSize
        self.values = values
        self.positions = positions
        self.newParameters = newParameters
        self.analytic = analytic
        self.numeric = numeric
        self.metrics = metrics
    }
}
