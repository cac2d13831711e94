import SQLiteDB
import Training

/// Checks that one run's rows fit together as gradlog writes them, before they are copied or
/// trusted: the parameters (names, positions, inputs), the samples, the step numbers and a gradient
/// row for every parameter at every step.
enum RunConsistency {
    /// The most inputs a stored run may have: far above what `run` accepts, and small enough that
    /// no count below can overflow.
    static let maxStoredInputs: Int64 = 1 << 16

    /// Throws `.inconsistentRun` (or `.badParameterName`) for the first problem of run `id` in the
    /// schema `schemaName` (`main`, or an attached `other`); with `steps` false, the logged steps
    /// are not looked at (verify reports those as differences).
    static func check(_ id: Int64, in db: Database, schemaName: String, path: String, steps: Bool = true) throws {
        let s = "\"\(schemaName)\""
        func fail(_ problem: RunInconsistency) -> TrackerError { .inconsistentRun(path: path, runID: id, problem: problem) }
        let run = try counts(db, "SELECT status, inputs, sample_count, step_count FROM \(s).runs WHERE id = ?1", id)
        // A status none of gradlog's commands writes would pass through merge and pull unseen.
        let status: String = try run["status"]
        guard RunStatus(rawValue: status) != nil else { throw fail(.unknownStatus(status)) }
        let stepCount: Int64 = try run["step_count"]
        if try isExternal(id, in: db, schema: s) {
            return try checkExternal(id, in: db, schema: s, path: path, stepCount: stepCount, steps: steps)
        }
        // A run logged from outside has neither; one of gradlog's own has both.
        let (inputs, samples): (Int64, Int64) = try (run["inputs"], run["sample_count"])
        guard (1...maxStoredInputs).contains(inputs), (1...Int64(Int32.max)).contains(samples), stepCount >= 0 else {
            throw fail(.implausibleCounts(inputs: inputs, samples: samples, steps: stepCount))
        }
        let parameterCount = try checkParameters(id, in: db, schema: s, inputs: Int(inputs), path: path)
        let stored = try counts(db, """
            SELECT (SELECT count(*) FROM \(s).samples WHERE run_id = ?1 AND sample BETWEEN 1 AND ?2) AS numbered,
                   (SELECT count(*) FROM \(s).samples WHERE run_id = ?1) AS samples,
                   (SELECT count(*) FROM \(s).sample_inputs
                     WHERE run_id = ?1 AND sample BETWEEN 1 AND ?2 AND input BETWEEN 1 AND ?3) AS numbered_inputs,
                   (SELECT count(*) FROM \(s).sample_inputs WHERE run_id = ?1) AS inputs
            """, id, samples, inputs)
        let (numbered, found, numberedInputs, inputValues): (Int64, Int64, Int64, Int64) =
            try (stored["numbered"], stored["samples"], stored["numbered_inputs"], stored["inputs"])
        guard numbered == samples, found == samples, numberedInputs == samples * inputs, inputValues == numberedInputs else {
            throw fail(.samples(found: found, inputValues: inputValues, expected: samples, inputs: inputs))
        }
        guard steps else { return }
        let logged = try LoggedCounts(id, in: db, schema: s)
        guard logged.steps == stepCount, logged.lastStep == stepCount else {
            throw fail(.stepCount(claimed: stepCount, steps: logged.steps, lastStep: logged.lastStep))
        }
        try logged.checkGradientRows(expected: stepCount * Int64(parameterCount), fail: fail)
        try checkEpochs(id, in: db, schema: s, path: path)
    }

    /// The run's steps, its last step number, its gradient rows of its steps and parameters, and
    /// all of its gradient rows.
    private struct LoggedCounts {
        let steps: Int64, lastStep: Int64, matchingGradients: Int64, gradients: Int64

        init(_ id: Int64, in db: Database, schema s: String) throws {
            let row = try counts(db, """
                SELECT (SELECT count(*) FROM \(s).steps WHERE run_id = ?1) AS steps,
                       (SELECT coalesce(max(step), 0) FROM \(s).steps WHERE run_id = ?1) AS last_step,
                       (SELECT count(*) FROM \(s).steps AS t
                          JOIN \(s).gradients AS g ON g.run_id = t.run_id AND g.step = t.step
                          JOIN \(s).params AS p ON p.run_id = g.run_id AND p.param = g.param WHERE t.run_id = ?1) AS matching,
                       (SELECT count(*) FROM \(s).gradients WHERE run_id = ?1) AS gradients
                """, id)
            (steps, lastStep, matchingGradients, gradients) = try (row["steps"], row["last_step"], row["matching"], row["gradients"])
        }

        /// Throws unless there is exactly one gradient row per step and parameter.
        func checkGradientRows(expected: Int64, fail: (RunInconsistency) -> TrackerError) throws {
            guard matchingGradients == expected, gradients == expected else {
                throw fail(.gradientRows(total: gradients, matching: matchingGradients, expected: expected))
            }
        }
    }

    /// Whether the run was logged from outside gradlog's trainer (`source`, from schema v6 on).
    static func isExternal(_ id: Int64, in db: Database, schema s: String) throws -> Bool {
        let hasSource = try db.scalar("SELECT count(*) FROM pragma_table_info('runs', ?) WHERE name = 'source'",
                                      [.text(s.trimmingQuotes)]) == .integer(1)
        return try hasSource && db.scalar("SELECT source FROM \(s).runs WHERE id = ?", [.integer(id)]) == "external"
    }

    /// A run logged from outside has no samples or model to check: its parameters (perhaps none)
    /// are safe names at positions 0, 1, ..., its last step is `step_count`, and each gradient row
    /// belongs to one of its steps and parameters (a step may log any of them, or none).
    private static func checkExternal(_ id: Int64, in db: Database, schema s: String, path: String, stepCount: Int64,
                                      steps: Bool) throws {
        func fail(_ problem: RunInconsistency) -> TrackerError { .inconsistentRun(path: path, runID: id, problem: problem) }
        let params = try db.namedRows("SELECT param, position FROM \(s).params WHERE run_id = ? ORDER BY position", [.integer(id)])
        for row in params {
            let name: String = try row["param"]
            guard ParameterName.isSafe(name) else { throw TrackerError.badParameterName(path: path, runID: id, name: name) }
        }
        guard try params.enumerated().allSatisfy({ try $1["position"] as SQLiteValue == .integer(Int64($0)) }) else {
            throw fail(.parameterPositions)
        }
        guard steps else { return }
        let logged = try LoggedCounts(id, in: db, schema: s)
        guard logged.lastStep == stepCount else { throw fail(.lastStep(claimed: stepCount, lastStep: logged.lastStep)) }
        try logged.checkGradientRows(expected: logged.gradients, fail: fail)
        try checkEpochs(id, in: db, schema: s, path: path)
    }

    /// Every epoch with steps has its `epochs` row spanning exactly those steps (a run still
    /// training may lack the row of the epoch it is in), and there is no other row.
    static func checkEpochs(_ id: Int64, in db: Database, schema s: String, path: String) throws {
        // Before schema v4, epochs was a view computed from the steps: nothing to compare.
        let kind = try db.scalar("SELECT type FROM \(s).sqlite_schema WHERE name = 'epochs'")
        guard kind == .text("table") else { return }
        func fail(_ problem: RunInconsistency) -> TrackerError { .inconsistentRun(path: path, runID: id, problem: problem) }
        let spans = try db.prepare(
            "SELECT epoch, count(*) AS steps, max(step) AS last_step FROM \(s).steps WHERE run_id = ? GROUP BY epoch ORDER BY epoch")
        let rows = try db.prepare("SELECT epoch, steps, last_step FROM \(s).epochs WHERE run_id = ? ORDER BY epoch")
        try spans.bind(id, at: 1)
        try rows.bind(id, at: 1)
        let running = try db.scalar("SELECT status = 'running' FROM \(s).runs WHERE id = ?", [.integer(id)]) == .integer(1)
        while try spans.step() {
            let span = try EpochSpan(spans)
            guard try rows.step() else {
                if running, try !spans.step() { return }  // the epoch it is training
                throw fail(.epochWithoutRow(epoch: span.epoch))
            }
            let row = try EpochSpan(rows)
            guard row == span else { throw fail(.epochRow(row, steps: span)) }
        }
        if try rows.step() { throw fail(.epochRowWithoutSteps(epoch: try EpochSpan(rows).epoch)) }
    }

    /// The most parameters of a model whose names a message about different parameters lists.
    static let namedParameterLimit = 100_000

    /// The parameters must be exactly the model's: for the neuron `w` or `w1`…`wn`, then `b`; for a
    /// network its layered names, each at its position with its layer, unit and input number.
    /// Returns how many there are.
    @discardableResult
    static func checkParameters(_ id: Int64, in db: Database, schema s: String, inputs: Int, path: String) throws -> Int {
        // Files before schema v4 have neither hidden layers nor the layer and unit columns.
        let layered = try db.scalar("SELECT count(*) FROM pragma_table_info('params', ?) WHERE name = 'layer'",
                                    [.text(s.trimmingQuotes)]) == .integer(1)
        let places = layered ? "layer, unit, input" : "1 AS layer, 1 AS unit, input"
        let rows = try db.namedRows("SELECT param, position, \(places) FROM \(s).params WHERE run_id = ? ORDER BY position",
                                    [.integer(id)])
        let names = try rows.map { row in
            let name: String = try row["param"]
            guard ParameterName.isValid(name) else { throw TrackerError.badParameterName(path: path, runID: id, name: name) }
            return name
        }
        let model = try self.model(id, in: db, schema: s, inputs: inputs, layered: layered, path: path)
        // A `hidden` edited to eight layers of 1,024 units: naming its 8 million parameters, only to
        // say that they differ, took 13 s and 1.35 GB.
        if rows.count != model.parameterCount && model.parameterCount > Self.namedParameterLimit {
            throw TrackerError.inconsistentRun(path: path, runID: id,
                                               problem: .parameterCount(found: rows.count, model: model.parameterCount))
        }
        let found = try rows.map { row in
            try ["position", "layer", "unit", "input"].map { try row[$0] as SQLiteValue }
        }
        let expected = model.parameterPlaces.enumerated().map { position, place -> [SQLiteValue] in
            [.integer(Int64(position)), .integer(Int64(place.layer)), .integer(Int64(place.unit)),
             place.input.map { .integer(Int64($0)) } ?? .null]
        }
        guard names == model.parameterNames else {
            throw TrackerError.inconsistentRun(path: path, runID: id, problem: .parameters(found: names, model: model.parameterNames))
        }
        // The names agree: the message names the first parameter whose place does not.
        if let k = found.indices.first(where: { found[$0] != expected[$0] }) {
            throw TrackerError.inconsistentRun(path: path, runID: id,
                                               problem: .parameterPlace(name: names[k], found: found[k], model: expected[k]))
        }
        return expected.count
    }

    /// The run's model, from its inputs and (from schema v4 on) its hidden layers and activation.
    private static func model(_ id: Int64, in db: Database, schema s: String, inputs: Int, layered: Bool,
                              path: String) throws -> Model {
        var config = TrainingConfig()
        guard layered else { return Model(config, inputCount: inputs) }
        guard let row = try db.namedRows("SELECT hidden, activation FROM \(s).runs WHERE id = ?", [.integer(id)]).first
        else { throw TrackerError.runNotFound(String(id)) }
        let bad = try RunSettings.read(row, into: &config, columns: ["hidden", "activation"])
        if let column = bad ?? (config.hasValidHiddenLayers ? nil : "hidden") {
            throw TrackerError.inconsistentRun(path: path, runID: id, problem: .unwrittenSetting(column: column))
        }
        return Model(config, inputCount: inputs)
    }

    /// The one row of a query about run `id` (its first value), which must exist.
    private static func counts(_ db: Database, _ sql: String, _ id: Int64, _ values: Int64...) throws -> SQLiteRow {
        guard let row = try db.namedRows(sql, ([id] + values).map { .integer($0) }).first else {
            throw TrackerError.runNotFound(String(id))
        }
        return row
    }
}

private extension String {
    /// The text without the double quotes around a quoted SQL name.
    var trimmingQuotes: String { replacing("\"", with: "") }
}
