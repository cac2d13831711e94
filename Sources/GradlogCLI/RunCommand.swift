#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ArgumentParser
import SQLiteDB
import Tracker
import Training
import Wording

extension Loss: ExpressibleByArgument {}
extension Activation: ExpressibleByArgument {}
extension Residual: ExpressibleByArgument {}

extension FaultyUnit: ExpressibleByArgument {
    /// Reads `l{layer}.n{unit}`.
    public init?(argument: String) {
        self.init(argument)
    }
}

extension Gradlog {
    /// `gradlog run`: trains one neuron, or a network, and logs every step.
    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Train a sigmoid neuron (or a network with --hidden) by gradient descent, logging every step.",
            discussion: """
                With no options this is the lesson: one sample x = 2 with label 1, starting from w = 0.5 \
                and b = -1. Each step evaluates the loss and both gradients of every parameter at the \
                current values, checks them against each other, then updates every parameter by \
                θ ← θ - lr·∂L/∂θ. A check passes when |analytic - numeric| <= atol + rtol·|numeric|. \
                With --hidden the model is a network whose parameters are named l{layer}.n{unit}.w{input} \
                and l{layer}.n{unit}.b (layers from 1, the output last), with gradients by backpropagation.
                """ + example("gradlog run", "gradlog run --dataset exam.csv --epochs 300 --lr 0.5 --batch-size 2",
                              "gradlog run --dataset xor --hidden 4 --lr 1 --epochs 3000"))

        @OptionGroup var database: DatabaseOptions

        @Option(help: ArgumentHelp(
            "A built-in dataset (lesson, and, or, xor) or the path of a CSV file.",
            discussion: "A CSV file has a header row, numeric input columns and a label column named y "
                + "(or else the last column) holding 0 or 1.", valueName: "name-or-path"),
            completion: .file())
        var dataset = "lesson"

        @Option(help: ArgumentHelp(
            "The label column of a CSV file (default: the column named y, or else the last one).", valueName: "column"))
        var label: String?

        @Option(help: "The loss: stable (computed from the logit, never overflows) or textbook (the lesson's formula).")
        var loss: Loss = .stable

        @Option(parsing: .unconditional, help: "The learning rate: a finite number greater than 0.", transform: decimal)
        var lr = 0.1

        @Option(parsing: .unconditional, help: "How many passes over the samples: at least 1.")
        var epochs = 100

        @Option(parsing: .unconditional, help: ArgumentHelp(
            "Samples per step, from 1 to the number of samples (default: all of them, one step per epoch).",
            discussion: "Smaller batches are drawn in an order shuffled every epoch by the seeded generator.",
            valueName: "k"))
        var batchSize: Int?

        @Option(parsing: .unconditional, help: "The seed of the generator for random initial weights and batch order, 0 to 2^63-1.")
        var seed: UInt64 = TrainingConfig.defaultSeed

        @Option(parsing: .unconditional, help: "The step ε of the central-difference gradient (L(θ+ε) - L(θ-ε)) / 2ε; greater than 0.",
                transform: decimal)
        var eps = 1e-6

        @Option(parsing: .unconditional, help: "The absolute tolerance of the gradient check (as in PyTorch's gradcheck).",
                transform: decimal)
        var atol = GradientCheck.defaultTolerance.atol

        @Option(parsing: .unconditional, help: "The relative tolerance of the gradient check (as in PyTorch's gradcheck).",
                transform: decimal)
        var rtol = GradientCheck.defaultTolerance.rtol

        @Option(name: .customLong("w"), parsing: .unconditional, help: ArgumentHelp(
            "Initial weights, one per input, comma-separated (e.g. --w=0.1,-0.2).",
            discussion: "Default: 0.5 for the lesson; otherwise seeded random values in [-0.1, 0.1).",
            valueName: "w1,w2,..."))
        var weights: NumberList?

        @Option(name: .customLong("b"), parsing: .unconditional, help: ArgumentHelp(
            "The initial bias (default: -1 for the lesson, otherwise 0).", valueName: "b"), transform: decimal)
        var bias: Double?

        @Option(help: ArgumentHelp(
            "Hidden layers: the units of each, comma-separated (e.g. 4, or 8,4); default: none, the single neuron.",
            discussion: "Initial weights are seeded Glorot-uniform (±√(6 / (fan-in + fan-out))), biases 0.",
            valueName: "n1,n2,..."))
        var hidden: LayerSizes?

        @Option(help: "The hidden units' activation: sigmoid or tanh (the output unit is always a sigmoid).")
        var activation: Activation = .sigmoid

        @Option(parsing: .unconditional, help: ArgumentHelp(
            "Compute the numeric gradient and the check at steps 1, 1+K, 1+2K, … only (NULL in between).",
            valueName: "k"))
        var checkEvery = 1

        @Flag(help: ArgumentHelp(
            "Also log a third gradient at each checked step: Swift's automatic differentiation of the loss.",
            discussion: "Stored in gradients.autodiff (NULL without this flag); verify recomputes it and check compares it."))
        var autodiff = false

        @Option(help: ArgumentHelp(
            "A teaching aid: make the chain-rule gradient of one unit wrong, to see the check catch it.",
            discussion: "The unit's weight gradients drop their input factor (δ instead of δ·input); its bias, "
                + "every other unit, and the numeric and autodiff gradients stay right. Units: l1.n1 (the single "
                + "neuron, or a network's first hidden unit), l2.n3, ...",
            valueName: "l{layer}.n{unit}"))
        var fault: FaultyUnit?

        @Option(help: ArgumentHelp(
            "How the output's residual a − y is computed: exact or difference.",
            discussion: "exact computes σ(t) − 1 as −σ(−t) for a label 1; difference computes σ(t) − y as written, which "
                + "loses its digits for a label 1 at a large logit (none are left from t ≈ 37): how runs were logged "
                + "before the exact form, kept to show that cancellation (gradlog check names it)."))
        var residual: Residual = .exact

        @Option(name: .customLong("init"), help: ArgumentHelp(
            "A JSON file mapping every parameter name to its initial value, e.g. {\"l1.n1.w1\": 0.3, ...}.",
            valueName: "file.json"), completion: .file(extensions: ["json"]))
        var initFile: String?

        @Option(help: "A name for the run.")
        var name = ""

        @Option(help: ArgumentHelp(
            "Who ran the run, stored in runs.run_by.",
            discussion: "By default the environment's USER, else LOGNAME, else the system's name of your user id.",
            valueName: "name"))
        var user: String?

        @Flag(help: "Show no progress line (one is shown only when standard error is a terminal).")
        var quiet = false

        @Option(help: ArgumentHelp("A key=value label for the run; repeat for more.", valueName: "key=value"))
        var tag: [Tag] = []

        @OptionGroup var output: OutputOptions

        /// The run these options ask for, with its dataset and initial values loaded and checked.
        func validatedRequest() throws -> RunRequest {
            let data = try DatasetLoader.load(dataset, label: label)
            var config = self.config
            if let initFile, config.hasValidHiddenLayers {
                config.initialValues = try InitialValuesFile.load(
                    initFile, names: Model(config, inputCount: data.inputCount).parameterNames)
            }
            let request = RunRequest(
                dataset: data, config: config, name: name, tags: tag.map { ($0.key, $0.value) },
                provenance: Provenance(commandLine: CommandContext.current.commandLine,
                                       workingDirectory: Provenance.currentDirectory(),
                                       user: user ?? RunUser.current(environment: CommandContext.current.environment)))
            try request.validate()
            return request
        }

        func run() throws {
            let context = CommandContext.current
            let request = try validatedRequest()  // before the database file is created
            let rows = try RowOutput(options: output, database: database)
            let store = try database.openForWriting()
            StopSignal.install()
            defer { StopSignal.uninstall() }
            let line = !quiet && context.console.errorIsTerminal ? ProgressLine(console: context.console) : nil
            defer { line?.erase() }  // also when the run fails, before its error is printed
            let outcome = try RunExecutor.execute(
                request, in: store, commitInterval: context.commitInterval, stopRequested: { StopSignal.pending },
                progress: line.map { line in { progress in line.update(ProgressLine.describe(progress, elapsed: line.elapsed)) } })
            line?.erase()
            let summary = try RunCatalog(store: store).summary(of: outcome.runID)
            context.console.out(Self.summaryLead(signal: outcome.signal, terminal: context.console.outputIsTerminal))
            try rows.write(output.format == .table ? summary.transposed() : summary)
            if let divergence = outcome.divergence {
                throw CLIError.diverged(runID: outcome.runID, divergence: divergence)
            }
            if let signal = outcome.signal {
                throw CLIError.interrupted(runID: outcome.runID, signal: signal, steps: outcome.steps)
            }
        }

        /// A line break before the summary after Ctrl-C on a terminal, where the terminal has just
        /// echoed `^C` and the summary would otherwise start on that line.
        static func summaryLead(signal: Int32?, terminal: Bool) -> String {
            signal == SIGINT && terminal ? "\n" : ""
        }

        var config: TrainingConfig {
            var config = TrainingConfig()
            config.loss = loss
            config.learningRate = lr
            config.epochs = epochs
            config.batchSize = batchSize
            config.seed = seed
            config.eps = eps
            config.check = GradientCheck(atol: atol, rtol: rtol)
            config.weights = weights?.values
            config.bias = bias
            config.hidden = hidden?.sizes ?? []
            config.activation = activation
            config.checkEvery = checkEvery
            config.autodiff = autodiff
            config.fault = fault
            config.residual = residual
            return config
        }
    }
}

/// A number option's value in decimal notation, as CSV files are read (`0x10`, `nan`, `inf` refused).
func decimal(_ argument: String) throws -> Double {
    guard let value = DecimalNumber.parse(argument) else {
        throw ValidationError("\(MessageText.quoted(argument)) is not a number in decimal notation (such as 0.1 or 1e-3)")
    }
    return value
}

/// Comma-separated numbers, as `--w` takes them.
struct NumberList: ExpressibleByArgument {
    let values: [Double]

    init?(argument: String) {
        let parts = argument.split(separator: ",", omittingEmptySubsequences: false)
        let numbers = parts.compactMap { DecimalNumber.parse($0.filter { $0 != " " }) }
        guard !parts.isEmpty, numbers.count == parts.count else { return nil }
        values = numbers
    }
}

/// Comma-separated layer sizes, as `--hidden` takes them.
struct LayerSizes: ExpressibleByArgument {
    let sizes: [Int]

    init?(argument: String) {
        let parts = argument.split(separator: ",", omittingEmptySubsequences: false).map { Int($0.filter { $0 != " " }) }
        guard !parts.isEmpty, !parts.contains(nil) else { return nil }
        sizes = parts.compactMap { $0 }
    }
}

/// One `key=value` label.
struct Tag: ExpressibleByArgument {
    let key: String
    let value: String

    init?(argument: String) {
        guard let equals = argument.firstIndex(of: "="), equals != argument.startIndex else { return nil }
        key = String(argument[..<equals])
        value = String(argument[argument.index(after: equals)...])
    }
}
