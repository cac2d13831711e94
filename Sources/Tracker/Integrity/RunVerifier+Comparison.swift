import SQLiteDB
import Training

/// The running comparison of logged values with recomputed ones, stopping at the first difference.
struct Comparison {
    let run: StoredRun
    var steps = 0
    var values = 0
    var difference: Verification.Difference?

    init(run: StoredRun) {
        self.run = run
    }

    var result: Verification {
        Verification(runID: run.id, steps: steps, values: values, difference: difference)
    }

    /// Records a difference that words describe (a missing step, other parameter names).
    mutating func differ(step: Int?, param: String?, column: String, logged: String, recomputed: String) {
        difference = .init(step: step, param: param, column: column, logged: logged, recomputed: recomputed,
                           loggedValue: .text(logged), recomputedValue: .text(recomputed))
    }

    /// Records a difference between two values of a column of reals (or, with `real` false, of integers).
    mutating func differ(step: Int?, param: String?, column: String, logged: SQLiteValue, recomputed: SQLiteValue,
                         real: Bool = true) {
        difference = .init(step: step, param: param, column: column, logged: Self.describe(logged, real: real),
                           recomputed: Self.describe(recomputed, real: real), loggedValue: logged,
                           recomputedValue: recomputed)
    }

    /// Compares one logged step (step, epoch, batch_size, loss) and its gradient rows.
    mutating func compare(step logged: StepValues, gradients: [GradientValues], with record: StepRecord) {
        let step = record.step
        let integers = [("step", logged.step, record.step), ("epoch", logged.epoch, record.epoch),
                        ("batch_size", logged.batchSize, record.batchSize)]
        for (column, stored, expected) in integers {
            guard integer(stored, expected, step: step, param: nil, column: column) else { return }
        }
        guard double(logged.loss, record.loss, step: step, param: nil, column: "loss") else { return }
        let names = gradients.map(\.param)
        guard names == run.parameterNames else {
            return differ(step: step, param: nil, column: "param", logged: names.isEmpty ? "none" : names.joined(separator: ","),
                          recomputed: run.parameterNames.joined(separator: ","))
        }
        for (k, row) in gradients.enumerated() {
            let param = run.parameterNames[k]
            guard double(row.value, record.values[k], step: step, param: param, column: "value"),
                  double(row.analytic, record.analytic[k], step: step, param: param, column: "analytic"),
                  double(row.numeric, record.numeric[k], step: step, param: param, column: "numeric"),
                  // Counted only where there is one, so that runs without it verify with the same figures as before.
                  (row.autodiff == .null && record.autodiff[k].isNaN)
                    || double(row.autodiff, record.autodiff[k], step: step, param: param, column: "autodiff"),
                  verdict(row.passed, record, k, step: step, param: param)
            else { return }
        }
        steps += 1
    }

    /// Compares one logged `epochs` row (nil when there is none) with the re-run's summary.
    mutating func compare(epoch logged: [SQLiteValue]?, with summary: EpochSummary) {
        guard let logged else {
            return differ(step: summary.lastStep, param: nil, column: "epochs",
                          logged: "no row for epoch \(summary.epoch)", recomputed: "a row for epoch \(summary.epoch)")
        }
        let step = summary.lastStep
        for (column, stored) in zip(EpochRow.columns, logged) {
            let name = "epochs.\(column.name)"
            let same = switch column.figure {
            case .count(let count): integer(stored, count(summary), step: step, param: nil, column: name)
            case .measure(let measure): double(stored, measure(summary), step: step, param: nil, column: name)
            }
            guard same else { return }
        }
    }

    /// Compares the run's summary columns (`RunTotals.columns`) with the re-run's totals.
    mutating func compare(runRow: SQLiteRow?, with totals: RunTotals) throws {
        for (column, expected) in zip(RunTotals.columns, totals.values) {
            values += 1
            let logged: SQLiteValue = try runRow?[column] ?? .null
            // The counts are integers; the rest are measured numbers, NULL standing for NaN.
            let real = expected.int64Value == nil
            let same = !real ? logged == expected
                : (Measured.number(logged).map { stored in Measured.number(expected).map { Measured.same(stored, $0) } ?? false } ?? false)
            guard same else {
                return differ(step: nil, param: nil, column: "runs.\(column)", logged: logged, recomputed: expected, real: real)
            }
        }
    }

    /// After the last logged step: a run that ended on its own must not have more steps to take,
    /// and every final parameter of a run that ended must equal the re-run's.
    mutating func compareEnd(of trainer: inout Trainer, record: inout StepRecord) {
        if run.endedOnItsOwn && trainer.next(into: &record) {
            return differ(step: record.step, param: nil, column: "step", logged: "no step",
                          recomputed: "step \(record.step) of the re-run")
        }
        guard run.hasEnded else { return }
        for (k, final) in run.finals.enumerated() {
            guard double(Measured.value(final), trainer.parameters[k], step: nil, param: run.parameterNames[k],
                         column: "final")
            else { return }
        }
    }

    private mutating func integer(_ logged: SQLiteValue, _ expected: Int, step: Int, param: String?, column: String) -> Bool {
        values += 1
        if logged == .integer(Int64(expected)) { return true }
        differ(step: step, param: param, column: column, logged: logged, recomputed: .integer(Int64(expected)), real: false)
        return false
    }

    /// A step without a check has no verdict: NULL in the file.
    private mutating func verdict(_ logged: SQLiteValue, _ record: StepRecord, _ k: Int, step: Int, param: String) -> Bool {
        guard record.checked else {
            values += 1
            if logged == .null { return true }
            differ(step: step, param: param, column: "passed", logged: logged, recomputed: .null, real: false)
            return false
        }
        return integer(logged, record.passed[k] ? 1 : 0, step: step, param: param, column: "passed")
    }

    private mutating func double(_ logged: SQLiteValue, _ expected: Double, step: Int?, param: String?, column: String) -> Bool {
        values += 1
        // A REAL column keeps no sign of zero and stores NaN as NULL: IEEE equality, NaN equal to NaN.
        if case .real = logged, let stored = Measured.number(logged), Measured.same(stored, expected) { return true }
        if logged == .null && expected.isNaN { return true }
        differ(step: step, param: param, column: column, logged: logged, recomputed: Measured.value(expected))
        return false
    }

    /// A value with every digit, and its bits where the digits cannot tell (NaN, an integer in a
    /// column of reals).
    static func describe(_ value: SQLiteValue, real: Bool = true) -> String {
        switch value {
        case .real(let number): describe(number)
        case .integer(let number): real ? "\(number) (stored as an integer)" : "\(number)"
        case .null: real ? "NULL (NaN)" : "NULL"
        case .text(let text): "'\(text)' (text)"
        case .blob(let bytes): "a \(bytes.count)-byte BLOB"
        }
    }

    static func describe(_ value: Double) -> String {
        value.isNaN ? "nan" : "\(value)"
    }
}
