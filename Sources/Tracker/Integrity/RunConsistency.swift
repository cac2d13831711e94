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
        func fail(_ problem: String) -> TrackerError { .inconsistentRun(path: path, runID: id, problem: problem) }
        // A status none of gradlog's commands writes would pass through merge and pull unseen.
        let status = try db.scalar("SELECT status FROM \(s).runs WHERE id = ?", [.integer(id)])?.stringValue ?? ""
        guard RunStatus(rawValue: status) != nil else {
            throw fail("its status is \(MessageText.quoted(status)), none of "
                + RunStatus.allCases.map(\.rawValue).joined(separator: ", "))
        }
        let run = try counts(db, "SELECT inputs, sample_count, step_count FROM \(s).runs WHERE id = ?1", id)
        let (inputs, samples, stepCount) = (run[0], run[1], run[2])
        if try isExternal(id, in: db, schema: s) {
            return try checkExternal(id, in: db, schema: s, path: path, stepCount: stepCount, steps: steps)
        }
        guard (1...maxStoredInputs).contains(inputs), (1...Int64(Int32.max)).contains(samples), stepCount >= 0 else {
            throw fail("it claims \(inputs) inputs, \(samples) samples and \(stepCount) steps")
        }
        let parameterCount = try checkParameters(id, in: db, schema: s, inputs: Int(inputs), path: path)
        let stored = try counts(db, """
            SELECT (SELECT count(*) FROM \(s).samples WHERE run_id = ?1 AND sample BETWEEN 1 AND ?2),
                   (SELECT count(*) FROM \(s).samples WHERE run_id = ?1),
                   (SELECT count(*) FROM \(s).sample_inputs
                     WHERE run_id = ?1 AND sample BETWEEN 1 AND ?2 AND input BETWEEN 1 AND ?3),
                   (SELECT count(*) FROM \(s).sample_inputs WHERE run_id = ?1)
            """, id, samples, inputs)
        guard stored[0] == samples, stored[1] == samples, stored[2] == samples * inputs, stored[3] == stored[2] else {
            throw fail("it has \(stored[1]) samples and \(stored[3]) input values, expected samples 1 to \(samples) "
                + "with inputs 1 to \(inputs) each")
        }
        guard steps else { return }
        let logged = try loggedCounts(id, in: db, schema: s)
        guard logged[0] == stepCount, logged[1] == stepCount else {
            throw fail("runs.step_count says \(stepCount) steps, but it has \(logged[0]) steps numbered up to \(logged[1])")
        }
        let expected = stepCount * Int64(parameterCount)
        guard logged[2] == expected, logged[3] == expected else {
            throw fail("it has \(logged[3]) gradient rows (\(logged[2]) of them for its steps and parameters), expected \(expected)")
        }
        try checkEpochs(id, in: db, schema: s, path: path)
    }

    /// The run's steps, its last step number, its gradient rows of its steps and parameters, and
    /// all of its gradient rows.
    private static func loggedCounts(_ id: Int64, in db: Database, schema s: String) throws -> [Int64] {
        try counts(db, """
            SELECT (SELECT count(*) FROM \(s).steps WHERE run_id = ?1),
                   (SELECT coalesce(max(step), 0) FROM \(s).steps WHERE run_id = ?1),
                   (SELECT count(*) FROM \(s).steps AS t
                      JOIN \(s).gradients AS g ON g.run_id = t.run_id AND g.step = t.step
                      JOIN \(s).params AS p ON p.run_id = g.run_id AND p.param = g.param WHERE t.run_id = ?1),
                   (SELECT count(*) FROM \(s).gradients WHERE run_id = ?1)
            """, id)
    }

    /// Whether the run was logged from outside gradlog's trainer (`source`, from schema v6 on).
    static func isExternal(_ id: Int64, in db: Database, schema s: String) throws -> Bool {
        let hasSource = try db.scalar("SELECT count(*) FROM pragma_table_info('runs', ?) WHERE name = 'source'",
                                      [.text(s.trimmingQuotes)]) == .integer(1)
        return try hasSource && db.scalar("SELECT source FROM \(s).runs WHERE id = ?", [.integer(id)]) == "external"
    }

    /// A run logged from outside has no samples or model to check: its parameters are safe names
    /// at positions 0, 1, ..., and every step (numbered up to `step_count`) has a row for each.
    private static func checkExternal(_ id: Int64, in db: Database, schema s: String, path: String, stepCount: Int64,
                                      steps: Bool) throws {
        func fail(_ problem: String) -> TrackerError { .inconsistentRun(path: path, runID: id, problem: problem) }
        let params = try db.rows("SELECT param, position FROM \(s).params WHERE run_id = ? ORDER BY position", [.integer(id)])
        for row in params where !ParameterName.isSafe(row[0].stringValue ?? "") {
            throw TrackerError.badParameterName(path: path, runID: id, name: row[0].stringValue ?? "")
        }
        guard !params.isEmpty, params.enumerated().allSatisfy({ $1[1] == .integer(Int64($0)) }) else {
            throw fail("its parameters are not numbered 0, 1, 2, ...")
        }
        guard steps else { return }
        let logged = try loggedCounts(id, in: db, schema: s)
        guard logged[1] == stepCount else { throw fail("runs.step_count says \(stepCount), but its last step is \(logged[1])") }
        let expected = logged[0] * Int64(params.count)
        guard logged[2] == expected, logged[3] == expected else {
            throw fail("it has \(logged[3]) gradient rows (\(logged[2]) of them for its steps and parameters), expected \(expected)")
        }
        try checkEpochs(id, in: db, schema: s, path: path)
    }

    /// Every epoch with steps has its `epochs` row spanning exactly those steps (a run still
    /// training may lack the row of the epoch it is in), and there is no other row.
    static func checkEpochs(_ id: Int64, in db: Database, schema s: String, path: String) throws {
        // Before schema v4, epochs was a view computed from the steps: nothing to compare.
        let kind = try db.scalar("SELECT type FROM \(s).sqlite_schema WHERE name = 'epochs'")
        guard kind == .text("table") else { return }
        let spans = try db.prepare(
            "SELECT epoch, count(*), max(step) FROM \(s).steps WHERE run_id = ? GROUP BY epoch ORDER BY epoch")
        let rows = try db.prepare("SELECT epoch, steps, last_step FROM \(s).epochs WHERE run_id = ? ORDER BY epoch")
        try spans.bind(id, at: 1)
        try rows.bind(id, at: 1)
        let running = try db.scalar("SELECT status = 'running' FROM \(s).runs WHERE id = ?", [.integer(id)]) == .integer(1)
        while try spans.step() {
            let span = [spans.int64(at: 0), spans.int64(at: 1), spans.int64(at: 2)]
            guard try rows.step() else {
                if running, try !spans.step() { return }  // the epoch it is training
                throw TrackerError.inconsistentRun(path: path, runID: id, problem: "epoch \(span[0]) has steps but no epochs row")
            }
            let row = [rows.int64(at: 0), rows.int64(at: 1), rows.int64(at: 2)]
            guard row == span else {
                throw TrackerError.inconsistentRun(
                    path: path, runID: id,
                    problem: "its epochs row \(row[0]) says \(row[1]) steps up to step \(row[2]), but the steps table has "
                        + "epoch \(span[0]) with \(span[1]) steps up to step \(span[2])")
            }
        }
        if try rows.step() {
            throw TrackerError.inconsistentRun(path: path, runID: id, problem: "it has an epochs row for epoch \(rows.int64(at: 0)), which has no steps")
        }
    }

    /// The parameters must be exactly the model's: for the neuron `w` or `w1`…`wn`, then `b`; for a
    /// network its layered names, each at its position with its layer, unit and input number.
    /// Returns how many there are.
    @discardableResult
    static func checkParameters(_ id: Int64, in db: Database, schema s: String, inputs: Int, path: String) throws -> Int {
        // Files before schema v4 have neither hidden layers nor the layer and unit columns.
        let layered = try db.scalar("SELECT count(*) FROM pragma_table_info('params', ?) WHERE name = 'layer'",
                                    [.text(s.trimmingQuotes)]) == .integer(1)
        let places = layered ? "layer, unit, input" : "1 AS layer, 1 AS unit, input"
        let rows = try db.rows("SELECT param, position, \(places) FROM \(s).params WHERE run_id = ? ORDER BY position",
                               [.integer(id)])
        for row in rows where !ParameterName.isValid(row[0].stringValue ?? "") {
            throw TrackerError.badParameterName(path: path, runID: id, name: row[0].stringValue ?? "")
        }
        let model = try self.model(id, in: db, schema: s, inputs: inputs, layered: layered, path: path)
        let expected = zip(model.parameterNames, model.parameterPlaces).enumerated().map { position, named -> [SQLiteValue] in
            [.text(named.0), .integer(Int64(position)), .integer(Int64(named.1.layer)), .integer(Int64(named.1.unit)),
             named.1.input.map { .integer(Int64($0)) } ?? .null]
        }
        guard rows == expected else {
            let names = rows.map { $0[0].stringValue ?? "?" }.joined(separator: ", ")
            throw TrackerError.inconsistentRun(
                path: path, runID: id, problem: "its parameters are \(MessageText.shown(names)) where its model has "
                    + MessageText.shown(model.parameterNames.joined(separator: ", ")))
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
        let bad = RunSettings.read(row, into: &config, columns: ["hidden", "activation"])
        if let column = bad ?? (config.hasValidHiddenLayers ? nil : "hidden") {
            throw TrackerError.inconsistentRun(path: path, runID: id, problem: "its \(column) is not a value gradlog writes")
        }
        return Model(config, inputCount: inputs)
    }

    private static func counts(_ db: Database, _ sql: String, _ values: Int64...) throws -> [Int64] {
        guard let row = try db.rows(sql, values.map { .integer($0) }).first else {
            throw TrackerError.runNotFound(String(values[0]))
        }
        return row.map { $0.int64Value ?? -1 }
    }
}

private extension String {
    /// The text without the double quotes around a quoted SQL name.
    var trimmingQuotes: String { replacing("\"", with: "") }
}
