import SQLiteDB

/// What does not fit together among one run's rows: a file changed outside gradlog. Each case is a
/// fact; the Wording module puts it into words.
public enum RunInconsistency: Sendable, Equatable {
    /// `runs.status` holds a word none of gradlog's commands writes.
    case unknownStatus(String)
    /// `runs` claims counts of inputs, samples or steps that gradlog never writes.
    case implausibleCounts(inputs: Int64, samples: Int64, steps: Int64)
    /// The samples and their input values are not numbered 1 to `expected` and 1 to `inputs` each.
    case samples(found: Int64, inputValues: Int64, expected: Int64, inputs: Int64)
    /// The samples do not make a dataset of the run's inputs and feature names.
    case sampleShape
    /// `runs.step_count` disagrees with the steps table.
    case stepCount(claimed: Int64, steps: Int64, lastStep: Int64)
    /// `runs.step_count` of a run logged from outside disagrees with its last step.
    case lastStep(claimed: Int64, lastStep: Int64)
    /// The gradient rows are not one per step and parameter.
    case gradientRows(total: Int64, matching: Int64, expected: Int64)
    /// A run logged from outside has parameters not at positions 0, 1, 2, ...
    case parameterPositions
    /// The parameters are not the ones the run's model has.
    case parameters(found: [String], model: [String])
    /// A parameter has the model's name but not its place: (position, layer, unit, input), input
    /// nil for a bias.
    case parameterPlace(name: String, found: [SQLiteValue], model: [SQLiteValue])
    /// The run has far fewer or more parameters than its model, whose names are not worth building.
    case parameterCount(found: Int, model: Int)
    /// A setting's column holds a value gradlog never writes.
    case unwrittenSetting(column: String)
    /// An epoch has steps but no `epochs` row.
    case epochWithoutRow(epoch: Int64)
    /// An `epochs` row spans other steps than the steps table has for that epoch.
    case epochRow(EpochSpan, steps: EpochSpan)
    /// An `epochs` row has no steps.
    case epochRowWithoutSteps(epoch: Int64)
    /// A metric has a name gradlog never accepts.
    case metricName(String)
    /// A column of a run's row holds a blob, which gradlog never writes.
    case blob(table: String, column: String)
    /// The run's rows do not hash to its fingerprint (`runs.fingerprint`): a row was changed after it was logged.
    case fingerprint(stored: String, computed: String)
}

/// An epoch's number, how many steps it has and its last step, as `epochs` records them.
public struct EpochSpan: Sendable, Equatable {
    /// The epoch's number.
    public let epoch: Int64
    /// How many steps it has.
    public let steps: Int64
    /// Its last step's number.
    public let lastStep: Int64

    /// A span from its figures.
    public init(epoch: Int64, steps: Int64, lastStep: Int64) {
        (self.epoch, self.steps, self.lastStep) = (epoch, steps, lastStep)
    }

    /// The current row of a query with the columns `epoch`, `steps` and `last_step`.
    init(_ statement: Statement) throws {
        (epoch, steps, lastStep) = try (statement.decode(Int64.self, named: "epoch"), statement.decode(Int64.self, named: "steps"),
                                        statement.decode(Int64.self, named: "last_step"))
    }
}
