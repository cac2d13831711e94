/// Where a run's starting parameters come from, and the rule that fills in those not given.
///
/// The generator seeded with the run's seed first draws one value per input, uniform in [-0.1, 0.1),
/// whether or not they are used, so that the mini-batch order that follows depends on the seed alone.
/// Unless `--w`/`--b` say otherwise: the lesson starts at w = 0.5, b = -1 (the lesson's values);
/// every other dataset starts from those random weights and b = 0. A network with hidden layers
/// instead draws every weight in storage order (Glorot-uniform, see `Network.glorotParameters`),
/// with biases 0. Initial values given in full (`--init`) replace all of these, after the same draws.
public enum InitialParameters {
    /// How the initial weights were chosen, as recorded in `runs.init`.
    public enum Source: String, Sendable {
        /// The lesson's w = 0.5.
        case lesson
        /// Drawn from the seeded generator.
        case random
        /// Given on the command line.
        case given
    }

    /// The lesson's starting weight and bias.
    public static let lessonWeight = 0.5, lessonBias = -1.0

    /// Draws the random weights from `generator` and returns the parameters (weights, then bias).
    public static func resolve(
        _ config: TrainingConfig, for data: Dataset, generator: inout SplitMix64
    ) -> (parameters: [Double], source: Source) {
        if case .network(let network) = Model(config, inputCount: data.inputCount) {
            let drawn = network.glorotParameters(&generator)
            return config.initialValues.map { ($0, .given) } ?? (drawn, .random)
        }
        let random = (0..<data.inputCount).map { _ in generator.nextUnitDouble() * 0.2 - 0.1 }
        let isLesson = data == .lesson
        let weights: [Double]
        let source: Source
        if let given = config.weights {
            (weights, source) = (given, .given)
        } else if isLesson {
            (weights, source) = ([lessonWeight], .lesson)
        } else {
            (weights, source) = (random, .random)
        }
        let bias = config.bias ?? (isLesson ? lessonBias : 0)
        return config.initialValues.map { ($0, .given) } ?? (weights + [bias], source)
    }
}
