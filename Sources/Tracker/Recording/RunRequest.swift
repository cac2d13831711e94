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
}
