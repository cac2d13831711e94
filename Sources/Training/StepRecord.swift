/// Everything logged for one optimisation step, reused from step to step to avoid allocations.
public struct StepRecord: Sendable {
    /// The step number, from 1.
    public var step = 0
    /// The epoch number, from 1.
    public var epoch = 0
    /// How many samples the step's batch held.
    public var batchSize = 0
    /// The mean loss of the batch at `values`, before the update.
    public var loss = 0.0
    /// Each parameter's value at which loss and gradients were evaluated.
    public var values: [Double]
    /// Each parameter's chain-rule gradient.
    public var analytic: [Double]
    /// Each parameter's central-difference gradient.
    public var numeric: [Double]
    /// Each parameter's gradient from automatic differentiation; NaN unless the run asked for it
    /// (`TrainingConfig.autodiff`) and the step is checked.
    public var autodiff: [Double]
    /// Each parameter's gradient-check verdict.
    public var passed: [Bool]
    /// False at a step without a gradient check (`checkEvery` > 1): `numeric` is NaN and `passed`
    /// means nothing there.
    public var checked = true

    /// Creates an empty record for a neuron with `parameterCount` parameters.
    public init(parameterCount: Int) {
        values = Array(repeating: 0, count: parameterCount)
        analytic = values
        numeric = values
        autodiff = Array(repeating: .nan, count: parameterCount)
        passed = Array(repeating: false, count: parameterCount)
    }
}
