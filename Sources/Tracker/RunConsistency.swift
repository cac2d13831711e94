import SQLiteDB
import Training

/// Checks that one run's rows fit together as gradlog writes them, before they are copied or
/// trusted: parameter names and positions, step numbers, a gradient row for every parameter at
/// every step, and the samples.
enum RunConsistency {
    /// Throws `.inconsistentRun` (or `.badParameterName`) for the first problem of run `id` in the
    /// schema `schemaName` (`main`, or an attached `other`).
    static func check(_ id: Int64, in db: Database, schemaName: String, path: String) throws {
        let s = "\"\(schemaName)\""
        let run: [Int64] = try counts(db, """
            SELECT inputs, sample_count, step_count,
                   (SELECT count(*) FROM \(s).params WHERE run_id = ?1),
                   (SELECT count(*) FROM \(s).params WHERE run_id = ?1 AND position BETWEEN 0 AND inputs),
                   (SELECT count(*) FROM \(s).steps WHERE run_id = ?1),
                   (SELECT coalesce(max(step), 0) FROM \(s).steps WHERE run_id = ?1),
                   (SELECT count(*) FROM \(s).steps AS t
                      JOIN \(s).gradients AS g ON g.run_id = t.run_id AND g.step = t.step
                      JOIN \(s).params AS p ON p.run_id = g.run_id AND p.param = g.param WHERE t.run_id = ?1),
                   (SELECT count(*) FROM \(s).gradients WHERE run_id = ?1),
                   (SELECT count(*) FROM \(s).samples WHERE run_id = ?1),
                   (SELECT count(*) FROM \(s).sample_inputs WHERE run_id = ?1)
            FROM \(s).runs WHERE id = ?1
            """, id)
        let (inputs, samples, stepCount, params, placedParams, steps, lastStep, matched, gradients, labels, values) =
            (run[0], run[1], run[2], run[3], run[4], run[5], run[6], run[7], run[8], run[9], run[10])
        for name in try db.rows("SELECT param FROM \(s).params WHERE run_id = ? ORDER BY position", [.integer(id)]) {
            let text = name[0].stringValue ?? ""
            if !ParameterName.isValid(text) { throw TrackerError.badParameterName(path: path, runID: id, name: text) }
        }
        func fail(_ problem: String) -> TrackerError { .inconsistentRun(path: path, runID: id, problem: problem) }
        guard params == inputs + 1, placedParams == params else {
            throw fail("it has \(params) parameters for \(inputs) inputs (expected one weight per input and a bias, at positions 0 to \(inputs))")
        }
        guard steps == stepCount, lastStep == steps else {
            throw fail("runs.step_count says \(stepCount) steps, but it has \(steps) steps numbered up to \(lastStep)")
        }
        guard matched == steps * params, gradients == matched else {
            throw fail("it has \(gradients) gradient rows (\(matched) of them for its steps and parameters), expected \(steps * params)")
        }
        guard labels == samples, values == samples * inputs else {
            throw fail("it has \(labels) samples and \(values) input values, expected \(samples) and \(samples * inputs)")
        }
    }

    private static func counts(_ db: Database, _ sql: String, _ id: Int64) throws -> [Int64] {
        guard let row = try db.rows(sql, [.integer(id)]).first else { throw TrackerError.runNotFound(String(id)) }
        return row.map { $0.int64Value ?? -1 }
    }
}
