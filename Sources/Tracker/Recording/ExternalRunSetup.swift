import Training

/// What a run logged from outside gradlog's trainer is, before its first step: `gradlog log` and
/// GradlogKit fill it in.
public struct ExternalRunSetup: Sendable {
    /// The run's name.
    public var name: String
    /// Its tags.
    public var tags: [(key: String, value: String)]
    /// Its configuration, a JSON object as text, stored as given in `runs.config`.
    public var configJSON: String
    /// The parameters the steps give values of, in the order of a step's values (steps may name
    /// more); each is written with the first step that gives its value.
    public var parameterNames: [String]
    /// The tolerances that judge each step's two gradients.
    public var check: GradientCheck
    /// Where it was logged from.
    public var provenance: Provenance

    /// Creates a setup; parameters may also be named by the steps.
    public init(name: String = "", tags: [(key: String, value: String)] = [], configJSON: String = "{}",
                parameterNames: [String] = [], check: GradientCheck = .defaultTolerance,
                provenance: Provenance = Provenance(commandLine: [], workingDirectory: Provenance.currentDirectory())) {
        self.name = name
        self.tags = tags
        self.configJSON = configJSON
        self.parameterNames = parameterNames
        self.check = check
        self.provenance = provenance
    }
}
