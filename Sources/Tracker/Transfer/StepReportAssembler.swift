import PostgresDB
import SQLiteDB

/// Builds the per-step report's rows (Reports/steps.sql) from one stream of a run's steps and
/// gradients in step order, as `StoreReport` reads them: within a step the rows may come in any
/// order, and a step's row is written when a later step begins.
///
/// A stream row has the columns `stepColumns`, `param` and `gradientColumns`, found by name once:
/// a step's own row has no `param`, a gradient's row has no step columns.
struct StepReportAssembler: ReportAssembler {
    /// The report's columns of a step, in its order.
    static let stepColumns = ["step", "epoch", "batch_size", "loss"]

    /// The report's columns of each parameter, in its order: the `gradients` columns of that name.
    static func gradientColumns(autodiff: Bool) -> [String] {
        ["value", "analytic", "numeric", "abs_error", "rel_error", "passed"] + (autodiff ? ["autodiff"] : [])
    }

    private let slots: [String: Int]
    /// Where the stream row's step columns, `param` and gradient columns are.
    private let stepIndexes: [Int], param: Int, gradientIndexes: [Int]
    private var step: Int64?
    private var hasStepRow = false
    /// The report row being gathered, reused from step to step.
    private var row: [SQLiteValue]

    /// An assembler of a stream of `columns` for a report of these parameters (in the report's
    /// order), with or without the autodiff column.
    init(columns: PostgresColumns, parameters: [String], autodiff: Bool) throws(PostgresError) {
        stepIndexes = try columns.indexes(of: Self.stepColumns)
        param = try columns.index(of: "param")
        gradientIndexes = try columns.indexes(of: Self.gradientColumns(autodiff: autodiff))
        slots = Dictionary(parameters.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        row = Array(repeating: .null, count: stepIndexes.count + parameters.count * gradientIndexes.count)
    }

    /// Takes one stream row, and hands `emit` the report row of the step before when it is complete.
    mutating func add(_ streamed: [SQLiteValue], emit: ([SQLiteValue]) throws -> Void) throws {
        guard case .integer(let rowStep) = streamed[stepIndexes[0]] else { return }
        if rowStep != step {
            try finish(emit: emit)
            step = rowStep
        }
        guard case .text(let name) = streamed[param] else {
            for (column, index) in stepIndexes.enumerated() { row[column] = streamed[index] }
            hasStepRow = true
            return
        }
        guard let slot = slots[name] else { return }
        let start = stepIndexes.count + slot * gradientIndexes.count
        for (column, index) in gradientIndexes.enumerated() { row[start + column] = streamed[index] }
    }

    /// Hands `emit` the row of the step gathered last, if the run logged that step (the report
    /// starts from the steps: a gradient without its step is not shown, as in the join).
    mutating func finish(emit: ([SQLiteValue]) throws -> Void) throws {
        if hasStepRow { try emit(row) }
        hasStepRow = false
        for index in row.indices { row[index] = .null }
    }
}
