import SQLiteDB
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
    /// The parameters every step gives, in the order their columns appear.
    public var parameterNames: [String]
    /// The tolerances that judge each step's two gradients.
    public var check: GradientCheck
    /// Where it was logged from.
    public var provenance: Provenance

    /// Creates a setup; the parameter names are known once the first step arrives.
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

/// One step computed by someone else's training code (the step contract of `gradlog log` and
/// GradlogKit, version 2): a step number and something logged, a loss, a metric or parameter
/// values; gradients beside the values when the code has them.
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
    /// Each parameter's value where loss and gradients were evaluated, in the setup's order; nil
    /// when the step logs no parameter (then it writes no gradient row).
    public var values: [Double]?
    /// Each parameter's chain-rule gradient, if computed (only beside `values`).
    public var analytic: [Double]?
    /// Each parameter's finite-difference gradient, if computed (only beside `values`).
    public var numeric: [Double]?
    /// Further named scalars of the step (e.g. `val_loss`).
    public var metrics: [(name: String, value: Double)]

    /// Creates a step.
    public init(step: Int, epoch: Int? = nil, loss: Double? = nil, batchSize: Int? = nil, values: [Double]? = nil,
                analytic: [Double]? = nil, numeric: [Double]? = nil, metrics: [(name: String, value: Double)] = []) {
        self.step = step
        self.epoch = epoch
        self.loss = loss
        self.batchSize = batchSize
        self.values = values
        self.analytic = analytic
        self.numeric = numeric
        self.metrics = metrics
    }
}

/// Logs a run whose steps come from someone else's training code, through the same recorder as
/// `gradlog run`: the same rows, commit cadence, crash detection and gradient checks. The run is
/// created with its first step, which fixes its parameters; each later step must follow the rules
/// of `ExternalStep`, and a step that does not is refused (`ExternalStepProblem`) with nothing of it
/// written, so that the caller can end the run as `failed` keeping every earlier step.
public final class ExternalRun {
    private let store: Store
    private let setup: ExternalRunSetup
    private let commitInterval: Double
    private var recorder: RunRecorder?
    private var metricWriter: MetricWriter?
    private var record = StepRecord(parameterCount: 0)
    /// The values an epoch ends with when the step after it logged none: unknown, NaN.
    private lazy var unknownValues = [Double](repeating: .nan, count: setup.parameterNames.count)
    /// The run's parameter names, to tell a report column of theirs (`w_analytic`) in constant time.
    private let parameterSet: Set<String>
    /// The metric names logged so far.
    private var metricNames: Set<String> = []
    /// The most metric names a run may have: its per-step report must fit SQLite's columns.
    private let maxMetrics: Int

    /// The run's id once its first step was logged.
    public var runID: Int64? { recorder?.runID }

    /// Names that no parameter or metric may take: the columns and rows of gradlog's reports and
    /// `compare`, which would otherwise appear twice.
    public static let reservedNames: Set<String> = [
        "step", "epoch", "batch_size", "loss", "steps", "mean_loss", "accuracy", "worst_abs_error", "worst_rel_error",
        "failed_checks", "status", "name", "final_loss", "gradient_check", "run", "epochs", "field", "layer", "checks",
    ]

    /// The most parameters a run logged from outside may have: each step writes a row per
    /// parameter, so a million-row step is the end of what a step is for (and what one line of
    /// `gradlog log`, at most 64 MiB, holds with short names).
    public static let maxParameters = 1_000_000

    /// The suffixes of a parameter's columns in the per-step report.
    static let columnSuffixes = ["", "_analytic", "_numeric", "_abs_error", "_rel_error", "_passed"]

    /// True when `name` is a report column (`p_analytic`, ...) of a parameter in `names` other than `besides`.
    private static func isColumn(_ name: String, ofOneOf names: Set<String>, besides: String?) -> Bool {
        columnSuffixes.dropFirst().contains { suffix in
            guard name.hasSuffix(suffix) else { return false }
            let base = String(name.dropLast(suffix.count))
            return base != besides && names.contains(base)
        }
    }

    /// Prepares a run of `setup.parameterNames` in `store`; nothing is written before the first step.
    public init(store: Store, setup: ExternalRunSetup, commitInterval: Double = RunRecorder.defaultCommitInterval)
        throws(TrackerError) {
        // A run may have no parameters at all: a loss and metrics are enough.
        let names = setup.parameterNames
        guard names.count <= Self.maxParameters else { throw .externalStep(.tooManyParameters(limit: Self.maxParameters)) }
        var parameterSet = Set<String>(minimumCapacity: names.count)
        for name in names {
            guard ParameterName.isSafe(name), !Self.reservedNames.contains(name), parameterSet.insert(name).inserted else {
                throw .externalStep(.badParameterName(name))
            }
        }
        // Each name's report columns must be new: `w` beside `w_analytic` would collide. Two names'
        // columns can only meet where one name is another's column, so one look-up per suffix does.
        for name in names where Self.isColumn(name, ofOneOf: parameterSet, besides: name) {
            throw .externalStep(.badParameterName(name))
        }
        try Self.checkConfig(setup.configJSON, in: store)
        self.store = store
        self.setup = setup
        self.commitInterval = commitInterval
        self.parameterSet = parameterSet
        // The per-step report has a column per metric, the per-epoch report two (last and mean).
        maxMetrics = max(0, min(ReportTemplate.maxColumns - 4 - Self.columnSuffixes.count * names.count,
                                (ReportTemplate.maxColumns - 5 - names.count) / 2))
    }

    /// Throws unless `text` is a JSON object that SQLite's JSON functions read (NaN and Infinity,
    /// which Python's `json` writes, are not JSON).
    public static func checkConfig(_ text: String, in store: Store) throws(TrackerError) {
        let valid = try store.attempt {
            // json_type raises an error on text that is not JSON: ask it only of valid text.
            try store.db.scalar("SELECT CASE WHEN json_valid(?1) THEN json_type(?1) = 'object' ELSE 0 END",
                                [.text(text)]) == .integer(1)
        }
        guard valid else { throw .externalStep(.badConfig) }
    }

    /// Throws the first rule `step` breaks, before anything of it is written; `sameMetrics` says
    /// its metric names are the previous step's, in order.
    private func check(_ step: ExternalStep, sameMetrics: Bool) throws(TrackerError) {
        let previous = record.step
        // Increasing, gaps allowed: step numbers are the steps' keys and the x axis of every chart.
        guard step.step > previous else { throw .externalStep(.stepNotIncreasing(previous: previous, step: step.step)) }
        let epoch = step.epoch ?? step.step
        guard epoch >= max(1, record.epoch) else {
            throw .externalStep(.epochDecreasing(previous: record.epoch, epoch: epoch, given: step.epoch != nil))
        }
        guard step.loss != nil || !step.metrics.isEmpty || step.values != nil else { throw .externalStep(.noScalar) }
        try checkParameters(of: step, first: previous == 0)
        if let size = step.batchSize, size < 1 { throw .externalStep(.badBatchSize(size)) }
        // The previous step's names passed these checks, and still pass them: a name that came later
        // was checked against them. Most loops log the same metrics at every step.
        if sameMetrics { return }
        var seen: Set<String> = []
        var newNames = 0
        for (name, _) in step.metrics {
            guard ParameterName.isSafe(name), !Self.reservedNames.contains(name), !parameterSet.contains(name),
                  !Self.isColumn(name, ofOneOf: parameterSet, besides: nil), !isMeanColumn(name, besides: seen) else {
                throw .externalStep(.badMetricName(name))
            }
            guard seen.insert(name).inserted else { throw .externalStep(.duplicateMetric(name)) }
            if !metricNames.contains(name) { newNames += 1 }
            guard metricNames.count + newNames <= maxMetrics else { throw .externalStep(.tooManyMetrics(limit: maxMetrics)) }
        }
    }

    /// The step's parameter values and gradients: all of the run's parameters or none, gradients
    /// only beside values, and the first step's values finite (the run's starting point).
    private func checkParameters(of step: ExternalStep, first: Bool) throws(TrackerError) {
        guard let values = step.values else {
            if step.analytic != nil { throw .externalStep(.gradientsWithoutValues(what: "analytic")) }
            if step.numeric != nil { throw .externalStep(.gradientsWithoutValues(what: "numeric")) }
            return
        }
        let count = setup.parameterNames.count
        guard count > 0 else { throw .externalStep(first && values.isEmpty ? .noParameters : .parametersNotDeclared) }
        func checkCount(_ list: [Double]?, _ what: String) throws(TrackerError) {
            if let list, list.count != count { throw .externalStep(.parameterCount(expected: count, got: list.count, what: what)) }
        }
        try checkCount(values, "params")
        try checkCount(step.analytic, "analytic")
        try checkCount(step.numeric, "numeric")
        if first, let k = values.firstIndex(where: { !$0.isFinite }) {
            throw .externalStep(.firstValueNotFinite(setup.parameterNames[k]))
        }
    }

    /// True when `name` would share a per-epoch report column with a metric's mean (`val_loss_mean`
    /// beside `val_loss`) or be the mean column of a parameter's name, among the run's metrics and `besides`.
    private func isMeanColumn(_ name: String, besides: Set<String>) -> Bool {
        let suffix = Self.meanSuffix
        if name.hasSuffix(suffix) {
            let base = String(name.dropLast(suffix.count))
            if metricNames.contains(base) || besides.contains(base) { return true }
        }
        let mean = name + suffix
        return metricNames.contains(mean) || besides.contains(mean) || parameterSet.contains(mean)
    }

    /// The suffix of a metric's per-epoch mean column in the per-epoch report.
    public static let meanSuffix = "_mean"

    /// Checks `step` and logs it; the first step creates the run. Commits when the interval has passed.
    public func log(_ step: ExternalStep) throws(TrackerError) {
        // Most loops log the same metrics at every step: compared once, for the checks and the writer.
        let sameMetrics = metricWriter?.hasLastNames(step.metrics) ?? false
        try check(step, sameMetrics: sameMetrics)
        try store.attempt {
            let recorder = try self.recorder ?? start(with: step)
            let epoch = step.epoch ?? step.step
            // A step of a later epoch ends the previous one at the values it starts from.
            if record.step > 0 && epoch != record.epoch { try recorder.writeEpoch(parameters: step.values ?? unknownValues) }
            fill(step, epoch: epoch)
            try recorder.write(record, endOfEpoch: nil, gradients: step.values != nil)
            if !sameMetrics { metricNames.formUnion(step.metrics.map(\.name)) }
            try metricWriter?.write(step.metrics, at: step.step, sameNames: sameMetrics)
            // Only now: the step, its gradients, its metrics and the row of the epoch it closed
            // commit together, so neither a kill nor a reader ever sees part of it.
            try recorder.commitIfDue()
        }
    }

    /// Commits the steps logged so far, when any wait: for a caller that has no step to log for a while.
    public func commitIfDue() throws(TrackerError) {
        guard let recorder, recorder.secondsToNextCommit <= 0 else { return }
        try store.attempt { try recorder.commit() }
    }

    /// Seconds until the steps logged so far are due to be committed (`commitIfDue`).
    public var secondsToNextCommit: Double { recorder?.secondsToNextCommit ?? commitInterval }

    /// Ends the run with `status` (and `error`), its final parameters `finalValues` (NaN: unknown).
    /// A run without any step is not created: returns nil.
    @discardableResult
    public func finish(status: RunStatus, error: String? = nil, finalValues: [Double]? = nil) throws(TrackerError) -> Int64? {
        guard let recorder else { return nil }
        if let finalValues, finalValues.count != setup.parameterNames.count {
            throw .externalStep(.parameterCount(expected: setup.parameterNames.count, got: finalValues.count, what: "final values"))
        }
        try store.attempt {
            let finals = finalValues ?? Array(repeating: .nan, count: setup.parameterNames.count)
            try recorder.finish(status: status, error: error, parameters: finals)
        }
        return recorder.runID
    }

    /// After a failure of the database: drops what was not committed and marks the run failed.
    public func abandon(error: String) {
        recorder?.abandon(error: error)
    }

    private func start(with step: ExternalStep) throws -> RunRecorder {
        // Parameters, if any, are named by the first step (`checkParameters`), which gives their values.
        let recorder = try RunRecorder(store: store, external: setup, initialValues: step.values ?? [],
                                       commitInterval: commitInterval)
        self.recorder = recorder
        record = StepRecord(parameterCount: setup.parameterNames.count)
        metricWriter = MetricWriter(store.db, runID: recorder.runID)
        return recorder
    }

    private func fill(_ step: ExternalStep, epoch: Int) {
        record.step = step.step
        record.epoch = epoch
        record.batchSize = step.batchSize ?? 0
        record.loss = step.loss ?? .nan
        // Copied value by value into the record's own arrays, which then never need reallocating.
        for k in record.values.indices {
            record.values[k] = step.values?[k] ?? .nan
            record.analytic[k] = step.analytic?[k] ?? .nan
            record.numeric[k] = step.numeric?[k] ?? .nan
        }
        // Judged exactly as gradlog's own checks, when both gradients are there.
        record.checked = step.analytic != nil && step.numeric != nil
        for k in record.passed.indices {
            record.passed[k] = record.checked && setup.check.passes(analytic: record.analytic[k], numeric: record.numeric[k])
        }
    }
}
