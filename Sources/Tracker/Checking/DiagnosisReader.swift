import SQLiteDB
import Training

/// Reads a run's checks and classifies its failed ones: the work behind `GradientDiagnosis.diagnose`.
struct DiagnosisReader {
    let runID: Int64
    let store: Store
    let limit: Int
    let counting: Bool
    private var db: Database { store.db }

    /// The columns every check query selects, by name.
    private static let checkColumns = "g.step, g.param, g.value, g.analytic, g.numeric, g.autodiff, g.abs_error, g.rel_error"

    func read() throws -> GradientDiagnosis {
        guard let run = try db.namedRows("SELECT source, atol, rtol, eps, failed_checks FROM runs WHERE id = ?", [.integer(runID)]).first else {
            throw TrackerError.runNotFound(String(runID))
        }
        let isExternal = try run["source"] as String == "external"
        let tolerance = GradientCheck(atol: try run.measured("atol"), rtol: try run.measured("rtol"))
        // A run of a store read on demand: the steps of the checks shown, or all for counting them.
        if store.fetchesRows(of: runID) {
            try store.fetch(.gradients, of: runID, counting ? .all : .selectedBy(
                "SELECT step FROM gradients WHERE run_id = \(runID) AND passed = 0 ORDER BY step LIMIT \(max(0, limit))"))
        }
        let counts = counting ? try db.namedRows(
            "SELECT count(passed) AS checks, count(CASE WHEN passed = 0 THEN 1 END) AS failed FROM gradients WHERE run_id = ?",
            [.integer(runID)])[0] : nil
        let failedChecks = try checks("g.passed = 0 ORDER BY g.step, p.position LIMIT \(max(0, limit))", tolerance)
        let worst = counting
            ? try checks("g.passed IS NOT NULL ORDER BY g.passed, g.rel_error IS NULL DESC, g.rel_error DESC LIMIT 1", tolerance).first
            : failedChecks.max { a, b in !a.relativeError.isNaN && (b.relativeError.isNaN || a.relativeError < b.relativeError) }
        var classifier = isExternal ? nil : try CheckClassifier(runID: runID, store: store, tolerance: tolerance)
        var findings: [GradientFinding] = []
        var classifiedChecks: [StoredCheck] = []
        for check in failedChecks {
            let (cause, evidence, seen) = try classifier?.classify(check) ?? (.notRecomputable, [("analytic", check.analytic), ("numeric", check.numeric)], check)
            classifiedChecks.append(seen)
            if let index = findings.lastIndex(where: { $0.cause == cause && $0.layer == check.layer && $0.unit == check.unit }) {
                findings[index].add(check)
            } else {
                findings.append(GradientFinding(cause: cause, layer: check.layer, unit: check.unit, firstStep: check.step,
                                                lastStep: check.step, checks: 1, parameters: [check.param], example: seen,
                                                evidence: evidence))
            }
        }
        let (disagreements, firstDisagreement) = counting ? try autodiffDisagreements(tolerance) : (0, nil)
        return GradientDiagnosis(
            runID: runID, isExternal: isExternal, tolerance: tolerance, eps: isExternal ? nil : try run.measured("eps"),
            checks: try counts.map { Int(try $0["checks"] as Int64) },
            failed: Int(try counts.map { try $0["failed"] as Int64 } ?? run["failed_checks"] as Int64? ?? 0),
            first: classifiedChecks.first, worst: worst.map { worst in classifiedChecks.first { $0.step == worst.step && $0.param == worst.param } ?? worst },
            findings: findings, classified: failedChecks.count,
            autodiffDisagreements: disagreements, firstAutodiffDisagreement: firstDisagreement)
    }

    /// The run's checks that pass `condition` (an SQL condition with its ORDER BY and LIMIT, all constant text).
    private func checks(_ condition: String, _ tolerance: GradientCheck) throws -> [StoredCheck] {
        let statement = try db.prepare("""
            SELECT \(Self.checkColumns) FROM gradients AS g JOIN params AS p ON p.run_id = g.run_id AND p.param = g.param
            WHERE g.run_id = ? AND \(condition)
            """)
        try statement.bind(runID, at: 1)
        var result: [StoredCheck] = []
        while try statement.step() { result.append(try check(statement, tolerance)) }
        return result
    }

    /// The check of the statement's current row.
    private func check(_ s: Statement, _ tolerance: GradientCheck) throws -> StoredCheck {
        let param = try s.decode(String.self, at: 1)
        let place = ParameterName.unit(of: param)
        let numeric = try s.measured(at: 4)
        return StoredCheck(step: try s.decode(Int64.self, at: 0), param: param, layer: place?.layer, unit: place?.unit,
                           value: try s.measured(at: 2), analytic: try s.measured(at: 3), numeric: numeric,
                           autodiff: try s.measured(at: 5), absoluteError: try s.measured(at: 6), relativeError: try s.measured(at: 7),
                           allowed: tolerance.atol + tolerance.rtol * abs(numeric))
    }

    /// Stored autodiff gradients beyond `AutodiffBound` of the chain rule's: how many, and the first.
    private func autodiffDisagreements(_ tolerance: GradientCheck) throws -> (Int, StoredCheck?) {
        let statement = try db.prepare("""
            SELECT \(Self.checkColumns) FROM gradients AS g JOIN params AS p ON p.run_id = g.run_id AND p.param = g.param
            WHERE g.run_id = ? AND g.autodiff IS NOT NULL AND g.passed IS NOT 0 ORDER BY g.step, p.position
            """)
        try statement.bind(runID, at: 1)
        let scale = try db.scalar("SELECT max(abs(x)) FROM sample_inputs WHERE run_id = ?", [.integer(runID)])?.doubleValue ?? 1
        var count = 0
        var first: StoredCheck?
        while try statement.step() {
            let analytic = try statement.measured(at: 3), autodiff = try statement.measured(at: 5)
            guard !AutodiffBound.agrees(analytic, autodiff, inputScale: scale) else { continue }
            count += 1
            if first == nil { first = try check(statement, tolerance) }
        }
        return (count, first)
    }
}
