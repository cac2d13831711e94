import SQLiteDB
import Training

/// Logs a run whose steps come from someone else's training code, through the same recorder as
/// `gradlog run`: the same rows, commit cadence, crash detection and gradient checks. The run is
/// created with its first step; each step must follow the rules of `ExternalStep`, and a step that
/// does not is refused (`ExternalStepProblem`) with nothing of it written, so that the caller can
/// end the run as `failed` keeping every earlier step.
public final class ExternalRun {
    private let store: Store
    private let setup: ExternalRunSetup
    private let commitInterval: Double
    private var recorder: RunRecorder?
    private var metricWriter: MetricWriter?
    private var record = StepRecord(parameterCount: 0)
    /// The run's parameters: the setup's, then those the steps added, in order.
    private(set) var names: [String]
    /// Each parameter's index in `names`, to tell a report column of theirs (`w_analytic`) in constant time.
    private(set) var indexOf: [String: Int] = [:]
    /// Whether each parameter has its `params` row, written with the first step that gives its value.
    private var written: [Bool]
    /// How many parameters have no `params` row yet: none, once a step gave every one.
    private var unwritten: Int
    /// The check that last saw each parameter's position, to find a position given twice in one step.
    private var marks: [Int]
    /// The number of the current check of positions (each check marks with a new one).
    private var mark = 0
    /// The metric names logged so far.
    private(set) var metricNames: Set<String> = []
    /// The most metric names the run may have beside its parameters.
    private var maxMetrics: Int

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

    /// The suffix of a metric's per-epoch mean column in the per-epoch report.
    public static let meanSuffix = "_mean"

    /// The most metric names a run of `parameterCount` parameters may have: its per-step report has
    /// a column per metric, its per-epoch report two (last and mean), and both must fit SQLite's columns.
    static func maxMetrics(parameterCount: Int) -> Int {
        max(0, min(ReportTemplate.maxColumns - 4 - columnSuffixes.count * parameterCount,
                   (ReportTemplate.maxColumns - 5 - parameterCount) / 2))
    }

    /// Prepares a run of `setup.parameterNames` in `store`; nothing is written before the first step.
    public init(store: Store, setup: ExternalRunSetup, commitInterval: Double = RunRecorder.defaultCommitInterval)
        throws(TrackerError) {
        try Self.checkConfig(setup.configJSON, in: store)
        self.store = store
        self.setup = setup
        self.commitInterval = commitInterval
        // A run may have no parameters at all: a loss and metrics are enough.
        (names, written, unwritten, marks) = ([], [], 0, [])
        maxMetrics = Self.maxMetrics(parameterCount: 0)
        try checkNewNames(setup.parameterNames)
        add(setup.parameterNames)
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

    /// The positions of `parameters` among the run's, those it does not have yet taking the next
    /// ones in the order given (they are the step's `newParameters`).
    public func positions(of parameters: [String]) -> (positions: [Int], newParameters: [String]) {
        var added: [String: Int] = [:]
        var newParameters: [String] = []
        let positions = parameters.map { name in
            if let k = indexOf[name] { return k }
            if let k = added[name] { return k }
            added[name] = names.count + newParameters.count
            newParameters.append(name)
            return names.count + newParameters.count - 1
        }
        return (positions, newParameters)
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
        try checkParameters(of: step)
        if let size = step.batchSize, size < 1 { throw .externalStep(.badBatchSize(size)) }
        // The previous step's names passed these checks, and still pass them: a name that came later
        // was checked against them. Most loops log the same metrics at every step.
        if sameMetrics && step.newParameters.isEmpty { return }
        try checkMetricNames(step.metrics, beside: step.newParameters)
    }

    /// The step's parameter values and gradients: of every parameter or of those at its
    /// positions, gradients only beside values and of the same parameters, and a parameter's first
    /// value finite (its starting point).
    private func checkParameters(of step: ExternalStep) throws(TrackerError) {
        guard let values = step.values else {
            if step.analytic != nil { throw .externalStep(.gradientsWithoutValues(what: "analytic")) }
            if step.numeric != nil { throw .externalStep(.gradientsWithoutValues(what: "numeric")) }
            if let name = step.newParameters.first { throw .externalStep(.newParameterWithoutValue(name)) }
            return
        }
        guard !values.isEmpty else { throw .externalStep(.noParameters) }
        try checkNewNames(step.newParameters)
        let count = names.count + step.newParameters.count
        if let positions = step.positions {
            guard positions.count == values.count else {
                throw .externalStep(.parameterCount(expected: positions.count, got: values.count, what: "params"))
            }
            try checkPositions(positions, count: count, newParameters: step.newParameters)
        } else {
            guard values.count == count else { throw .externalStep(.parameterCount(expected: count, got: values.count, what: "params")) }
        }
        if let analytic = step.analytic, analytic.count != values.count {
            throw .externalStep(.parameterCount(expected: values.count, got: analytic.count, what: "analytic"))
        }
        if let numeric = step.numeric, numeric.count != values.count {
            throw .externalStep(.parameterCount(expected: values.count, got: numeric.count, what: "numeric"))
        }
        guard unwritten > 0 || !step.newParameters.isEmpty else { return }
        for (i, k) in (step.positions ?? Array(0..<count)).enumerated() where (k >= names.count || !written[k]) && !values[i].isFinite {
            throw .externalStep(.firstValueNotFinite(k < names.count ? names[k] : step.newParameters[k - names.count]))
        }
    }

    /// Throws unless each position is below `count` and given once, every new parameter's among them.
    private func checkPositions(_ positions: [Int], count: Int, newParameters: [String]) throws(TrackerError) {
        if marks.count < count { marks.append(contentsOf: Array(repeating: 0, count: count - marks.count)) }
        var newGiven = 0
        mark += 1
        for k in positions {
            guard k >= 0, k < count, marks[k] != mark else { throw .externalStep(.badPositions) }
            marks[k] = mark
            if k >= names.count { newGiven += 1 }
        }
        guard newGiven == newParameters.count else {
            let missing = newParameters.indices.first { marks[names.count + $0] != mark } ?? 0
            throw .externalStep(.newParameterWithoutValue(newParameters[missing]))
        }
    }

    /// Checks `step` and logs it; the first step creates the run. Commits when the interval has passed.
    public func log(_ step: ExternalStep) throws(TrackerError) {
        // Most loops log the same metrics at every step: compared once, for the checks and the writer.
        let sameMetrics = metricWriter?.hasLastNames(step.metrics) ?? false
        try check(step, sameMetrics: sameMetrics)
        try store.attempt {
            let recorder = try self.recorder ?? start()
            try recorder.resume()
            let epoch = step.epoch ?? step.step
            // A step of a later epoch ends the previous one (a run logged from outside has no accuracy to take).
            if record.step > 0 && epoch != record.epoch { try recorder.writeEpoch(parameters: []) }
            try addParameters(of: step, to: recorder)
            fill(step, epoch: epoch)
            let rows: RunRecorder.ParameterRows = step.values == nil ? .none : step.positions.map { .some($0) } ?? .all
            try recorder.write(record, endOfEpoch: nil, parameters: rows)
            if !sameMetrics { metricNames.formUnion(step.metrics.map(\.name)) }
            try metricWriter?.write(step.metrics, at: step.step, sameNames: sameMetrics)
            // Only now: the step, its gradients, its metrics and the row of the epoch it closed
            // commit together, so neither a kill nor a reader ever sees part of it.
            try recorder.commitIfDue()
        }
    }

    /// Commits the steps logged so far, when any wait: for a caller that has no step to log for a while.
    public func commitIfDue() throws(TrackerError) {
        guard let recorder, recorder.secondsToNextCommit == 0 else { return }
        try store.attempt { try recorder.commit() }
    }

    /// Seconds until the steps logged so far are due to be committed (`commitIfDue`).
    public var secondsToNextCommit: Double { recorder?.secondsToNextCommit ?? commitInterval }

    /// Ends the run with `status` (and `error`), the final values `finalValues` of every parameter or
    /// of those at `positions` (NaN: unknown). A run without any step is not created: returns nil.
    @discardableResult
    public func finish(status: RunStatus, error: String? = nil, finalValues: [Double]? = nil,
                       positions: [Int]? = nil) throws(TrackerError) -> Int64? {
        guard let recorder else { return nil }
        let finals = try finals(finalValues, positions: positions)
        try store.attempt { try recorder.finish(status: status, error: error, parameters: finals) }
        return recorder.runID
    }

    /// Every parameter's final value from the ones given; a parameter without a `params` row has none.
    private func finals(_ given: [Double]?, positions: [Int]?) throws(TrackerError) -> [Double] {
        var finals = Array(repeating: Double.nan, count: names.count)
        guard let given else { return finals }
        if let positions {
            guard positions.count == given.count else {
                throw .externalStep(.parameterCount(expected: positions.count, got: given.count, what: "final values"))
            }
            try checkPositions(positions, count: names.count, newParameters: [])
            for (i, k) in positions.enumerated() { finals[k] = given[i] }
        } else {
            guard given.count == names.count else {
                throw .externalStep(.parameterCount(expected: names.count, got: given.count, what: "final values"))
            }
            finals = given
        }
        if let k = finals.indices.first(where: { !written[$0] && !finals[$0].isNaN }) {
            throw .externalStep(.finalWithoutSteps(names[k]))
        }
        return finals
    }

    /// After a failure of the database: drops what was not committed and marks the run failed.
    public func abandon(error: String) {
        recorder?.abandon(error: error)
    }

    private func start() throws -> RunRecorder {
        let recorder = try RunRecorder(store: store, external: setup, commitInterval: commitInterval)
        self.recorder = recorder
        metricWriter = MetricWriter(store.db, runID: recorder.runID, fingerprint: recorder.fingerprint)
        return recorder
    }

    /// Adds `added` after the run's parameters, in memory (the recorder learns of them separately).
    private func add(_ added: [String]) {
        indexOf.reserveCapacity(names.count + added.count)
        for (offset, name) in added.enumerated() { indexOf[name] = names.count + offset }
        names.append(contentsOf: added)
        written.append(contentsOf: Array(repeating: false, count: added.count))
        unwritten += added.count
        for list in [\StepRecord.values, \.analytic, \.numeric, \.autodiff] {
            record[keyPath: list].append(contentsOf: Array(repeating: .nan, count: added.count))
        }
        record.passed.append(contentsOf: Array(repeating: false, count: added.count))
    }

    /// Adds the step's new parameters, and writes the `params` row of each parameter it gives a first value of.
    private func addParameters(of step: ExternalStep, to recorder: RunRecorder) throws {
        if !step.newParameters.isEmpty {
            add(step.newParameters)
            try recorder.addParameters(step.newParameters)
        }
        guard unwritten > 0, let values = step.values else { return }
        for (i, k) in (step.positions ?? Array(names.indices)).enumerated() where !written[k] {
            try recorder.insertParameter(k, initial: values[i])
            written[k] = true
            unwritten -= 1
        }
    }

    private func fill(_ step: ExternalStep, epoch: Int) {
        record.step = step.step
        record.epoch = epoch
        record.batchSize = step.batchSize ?? 0
        record.loss = step.loss ?? .nan
        guard let values = step.values else { return }
        // Judged exactly as gradlog's own checks, when both gradients are there.
        record.checked = step.analytic != nil && step.numeric != nil
        let (analytic, numeric) = (step.analytic, step.numeric)
        if let positions = step.positions {
            for (i, k) in positions.enumerated() { set(k, values[i], analytic?[i] ?? .nan, numeric?[i] ?? .nan) }
        } else {
            // Copied value by value into the record's own arrays, which then never need reallocating.
            for k in values.indices { set(k, values[k], analytic?[k] ?? .nan, numeric?[k] ?? .nan) }
        }
    }

    /// Sets parameter `k` of the record, judging its check.
    private func set(_ k: Int, _ value: Double, _ analytic: Double, _ numeric: Double) {
        record.values[k] = value
        record.analytic[k] = analytic
        record.numeric[k] = numeric
        record.passed[k] = record.checked && setup.check.passes(analytic: analytic, numeric: numeric)
    }
}
