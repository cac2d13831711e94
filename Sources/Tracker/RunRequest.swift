import Training

/// What a user asked to train: the samples, the hyperparameters, and how to label the run.
public struct RunRequest: Sendable {
    /// The samples to train on.
    public var dataset: Dataset
    /// The hyperparameters.
    public var config: TrainingConfig
    /// A free-form name for the run.
    public var name: String
    /// key=value labels, in the order given.
    public var tags: [(key: String, value: String)]
    /// The command line and working directory that asked for the run.
    public var provenance: Provenance

    /// Creates a request.
    public init(
        dataset: Dataset, config: TrainingConfig, name: String = "", tags: [(key: String, value: String)] = [],
        provenance: Provenance = Provenance(commandLine: [], workingDirectory: Provenance.currentDirectory())
    ) {
        self.dataset = dataset
        self.config = config
        self.name = name
        self.tags = tags
        self.provenance = provenance
    }

    /// Refuses a request with any option value that is not allowed, naming each one.
    public func validate() throws(TrackerError) {
        let problems = config.problems(for: dataset)
        guard problems.isEmpty else { throw .badConfig(problems) }
    }

    /// The full configuration as JSON, stored in `runs.config`.
    func configJSON(trainer: Trainer) -> String {
        let config = trainer.config
        return JSONText.object([
            ("atol", JSONText.number(config.check.atol)),
            ("b", JSONText.number(trainer.initialParameters.last ?? 0)),
            ("batch_size", "\(config.effectiveBatchSize(for: dataset))"),
            ("dataset", JSONText.string(dataset.name)),
            ("epochs", "\(config.epochs)"),
            ("eps", JSONText.number(config.eps)),
            ("features", JSONText.array(dataset.featureNames.map(JSONText.string))),
            ("init", JSONText.string(trainer.initialSource.rawValue)),
            ("loss", JSONText.string(config.loss.rawValue)),
            ("lr", JSONText.number(config.learningRate)),
            ("residual", JSONText.string(config.residual.rawValue)),
            ("rtol", JSONText.number(config.check.rtol)),
            ("seed", "\(config.seed)"),
            ("w", JSONText.array(trainer.initialParameters.dropLast().map(JSONText.number))),
        ])
    }
}
