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
                           recomputed: Self.describe(recomputed, real: real), loggedValue: logged.decodingNaN,
                           recomputedValue: recomputed)
    }

    /// Compares one logged step (step, epoch, batch_size, loss) and its gradient rows.
    mutating func compare(step logged: [SQLiteValue], gradients: [[SQLiteValue]], with record: StepRecord) {
        let step = record.step
        let integers: [(String, Int)] = [("step", record.step), ("epoch", record.epoch), ("batch_size", record.batchSize)]
        for (index, (column, expected)) in integers.enumerated() {
            guard integer(logged[index], expected, step: step, param: nil, column: column) else { return }
        }
        guard double(logged[3], record.loss, step: step, param: nil, column: "loss") else { return }
        guard gradients.count == run.parameterNames.count,
              gradients.map({ $0[0].stringValue ?? "" }) == run.parameterNames
        else {
            let found = gradients.map { $0[0].stringValue ?? "?" }.joined(separator: ",")
            return differ(step: step, param: nil, column: "param", logged: found.isEmpty ? "none" : found,
                          recomputed: run.parameterNames.joined(separator: ","))
        }
        for (k, row) in gradients.enumerated() {
            let param = run.parameterNames[k]
            guard double(row[1], record.values[k], step: step, param: param, column: "value"),
                  double(row[2], record.analytic[k], step: step, param: param, column: "analytic"),
                  double(row[3], record.numeric[k], step: step, param: param, column: "numeric"),
                  integer(row[4], record.passed[k] ? 1 : 0, step: step, param: param, column: "passed")
            else { return }
        }
        steps += 1
    }

    /// After the last logged step: a run that ended on its own must not have more steps to take,
    /// and every recorded final parameter must equal the re-run's.
    mutating func compareEnd(of trainer: inout Trainer, record: inout StepRecord) {
        if run.endedOnItsOwn && trainer.next(into: &record) {
            return differ(step: record.step, param: nil, column: "step", logged: "no step",
                          recomputed: "step \(record.step) of the re-run")
        }
        for (k, final) in run.finals.enumerated() where final != .null {
            guard double(final, trainer.parameters[k], step: nil, param: run.parameterNames[k], column: "final")
            else { return }
        }
    }

    private mutating func integer(_ logged: SQLiteValue, _ expected: Int, step: Int, param: String?, column: String) -> Bool {
        values += 1
        if logged == .integer(Int64(expected)) { return true }
        differ(step: step, param: param, column: column, logged: logged, recomputed: .integer(Int64(expected)), real: false)
        return false
    }

    private mutating func double(_ logged: SQLiteValue, _ expected: Double, step: Int?, param: String?, column: String) -> Bool {
        values += 1
        if logged.decodingNaN == .real(expected) { return true }  // SQLiteValue compares reals by bit pattern
        differ(step: step, param: param, column: column, logged: logged, recomputed: .real(expected))
        return false
    }

    /// A value with every digit, and its bits where the digits cannot tell (NaN, an integer in a
    /// column of reals).
    static func describe(_ value: SQLiteValue, real: Bool = true) -> String {
        switch value.decodingNaN {
        case .real(let number): describe(number)
        case .integer(let number): real ? "\(number) (stored as an integer)" : "\(number)"
        case .null: "NULL"
        case .text(let text): "'\(text)' (text)"
        case .blob(let bytes): "a \(bytes.count)-byte BLOB"
        }
    }

    static func describe(_ value: Double) -> String {
        value.isNaN ? "nan (bits 0x\(String(value.bitPattern, radix: 16)))" : "\(value)"
    }
}
