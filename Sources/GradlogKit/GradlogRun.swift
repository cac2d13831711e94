import Tracker
import Training
import Wording

/// One run of your own training code, logged step by step into a gradlog database, exactly as
/// `gradlog run` logs its own: the same tables, the same commits (at least every half second, so
/// `gradlog runs` in another terminal follows it), the same gradient checks and crash detection.
///
/// ```swift
/// import GradlogKit
///
/// let run = try GradlogRun(database: "runs.db", name: "my model", parameters: ["w", "b"])
/// for step in 1...100 {
///     // ... compute loss, the chain-rule gradient and a central difference ...
///     try run.log(step: step, loss: loss, values: [w, b], analytic: [dw, db], numeric: [nw, nb])
///     // ... update w and b ...
/// }
/// try run.finish(finalValues: [w, b])
/// ```
///
/// Step numbers increase, gaps allowed (a loop may log every 10 steps); an epoch is never below
/// the previous step's (the epoch is the step number unless given); `values`, `analytic` and
/// `numeric` give every parameter in the order of `parameters`, on every step or only some, and
/// `log(step:parameters:...)` gives some of them by name (a name not declared yet becomes a
/// parameter of the run). A NaN is stored as SQL NULL. Where both gradients are given they are
/// checked against each other with `atol` and `rtol`, as PyTorch's gradcheck does. A run that is
/// never finished (the program stops or crashes) is marked `crashed` by the next gradlog command.
public final class GradlogRun {
    /// How a run ended.
    public enum Ending: Sendable {
        /// It ran to the end.
        case finished
        /// It stopped on an error, described by the text.
        case failed(String)
        /// It was stopped before the end.
        case interrupted
        /// Its loss stopped being a number.
        case diverged
    }

    private let store: Store
    private let run: ExternalRun

    /// The run's id in the database, from its first logged step on (nil before).
    public var id: Int64? { run.runID }

    /// Opens (or creates) the database at `path` and prepares a run of `parameters` (none: a run of
    /// losses and metrics only); the run is written with its first step, which gives the parameters'
    /// values if it has any. `config` is any JSON object, stored as given in `runs.config`. `user` is
    /// who ran it (`runs.run_by`); nil takes the environment's `USER`, else `LOGNAME`, else the system's.
    public init(database path: String, name: String = "", tags: [String: String] = [:], config: String = "{}",
                parameters: [String] = [], atol: Double = GradientCheck.defaultTolerance.atol,
                rtol: Double = GradientCheck.defaultTolerance.rtol, user: String? = nil) throws(GradlogError) {
        do {
            store = try Store(path: path)
            let setup = ExternalRunSetup(
                name: name, tags: tags.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }, configJSON: config,
                parameterNames: parameters, check: GradientCheck(atol: atol, rtol: rtol),
                provenance: Provenance(commandLine: CommandLine.arguments, workingDirectory: Provenance.currentDirectory(),
                                       user: user))
            run = try ExternalRun(store: store, setup: setup)
        } catch {
            throw GradlogError(error)
        }
    }

    /// Logs one step: its number (increasing, gaps allowed), at least a loss or a metric (such as
    /// `val_loss`), and when the step has them the epoch, each parameter's value where the loss and
    /// gradients were evaluated, both gradients and the batch size.
    public func log(step: Int, epoch: Int? = nil, loss: Double? = nil, values: [Double]? = nil, analytic: [Double]? = nil,
                    numeric: [Double]? = nil, batchSize: Int? = nil, metrics: [String: Double] = [:]) throws(GradlogError) {
        let logged = ExternalStep(step: step, epoch: epoch, loss: loss, batchSize: batchSize, values: values,
                                  analytic: analytic, numeric: numeric,
                                  metrics: metrics.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
        do {
            try run.log(logged)
        } catch {
            throw GradlogError(error)
        }
    }

    /// Logs one step that gives some parameters by name: their values in `parameters` and, if
    /// computed, the gradients of the same parameters; otherwise as `log(step:values:...)`.
    public func log(step: Int, epoch: Int? = nil, loss: Double? = nil, parameters: [String: Double],
                    analytic: [String: Double]? = nil, numeric: [String: Double]? = nil, batchSize: Int? = nil,
                    metrics: [String: Double] = [:]) throws(GradlogError) {
        // Sorted, so that the parameters a step adds take their positions in the same order every time.
        let names = parameters.keys.sorted()
        let (positions, newParameters) = run.positions(of: names)
        func gradients(_ given: [String: Double]?, _ what: String) throws(GradlogError) -> [Double]? {
            guard let given else { return nil }
            guard given.count == names.count else { throw GradlogError(.externalStep(.gradientsMismatch(what: what))) }
            return try names.map { name throws(GradlogError) in
                guard let value = given[name] else { throw GradlogError(.externalStep(.gradientsMismatch(what: what))) }
                return value
            }
        }
        var logged = ExternalStep(step: step, epoch: epoch, loss: loss, batchSize: batchSize,
                                  metrics: metrics.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
        if !names.isEmpty {
            (logged.values, logged.positions, logged.newParameters) = (names.map { parameters[$0]! }, positions, newParameters)
        }
        logged.analytic = try gradients(analytic, "analytic")
        logged.numeric = try gradients(numeric, "numeric")
        do {
            try run.log(logged)
        } catch {
            throw GradlogError(error)
        }
    }

    /// Ends the run with how it ended and, if known, each parameter's final value (in the order of
    /// the parameters, those the steps added last), or some of them by name (`finalParameters`).
    public func finish(_ ending: Ending = .finished, finalValues: [Double]? = nil,
                       finalParameters: [String: Double]? = nil) throws(GradlogError) {
        let (status, error): (RunStatus, String?) = switch ending {
        case .finished: (.finished, nil)
        case .failed(let text): (.failed, text)
        case .interrupted: (.interrupted, nil)
        case .diverged: (.diverged, nil)
        }
        var (values, positions) = (finalValues, [Int]?.none)
        if let finalParameters {
            let names = finalParameters.keys.sorted()
            let found = run.positions(of: names)
            if let name = found.newParameters.first { throw GradlogError(.externalStep(.finalWithoutSteps(name))) }
            (values, positions) = (names.map { finalParameters[$0]! }, found.positions)
        }
        do {
            try run.finish(status: status, error: error, finalValues: values, positions: positions)
        } catch {
            throw GradlogError(error)
        }
    }
}

/// Why gradlog refused a step or could not write it, in words.
public struct GradlogError: Error, CustomStringConvertible, Sendable {
    /// What went wrong and what to do about it.
    public let description: String

    init(_ error: TrackerError) {
        description = error.message
    }
}
