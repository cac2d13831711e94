import SQLiteDB

/// Builds the per-step report's rows (Reports/steps.sql) from one stream of a run's steps and
/// gradients in step order, as `StoreReport` reads them: within a step the rows may come in any
/// order, and a step's row is written when a later step begins.
///
/// A stream row is `step, epoch, batch_size, loss, param, value, analytic, numeric, abs_error,
/// rel_error, passed` (and `autodiff` for a run that logged it): a step's own row has no `param`, a
/// gradient's row has no step columns.
struct StepReportAssembler: ReportAssembler {
    private let slots: [String: Int]
    private let width: Int
    private var step: Int64?
    private var hasStepRow = false
    /// The report row being gathered, reused from step to step.
    private var row: [SQLiteValue]

    /// The columns of a stream row before the gradient's own.
    private static let stepColumns = 4

    /// An assembler for a report of these parameters (in the report's order), with or without the
    /// autodiff column.
    init(parameters: [String], autodiff: Bool) {
        width = ReportTemplate.Kind.steps.columns.perParameter + (autodiff ? 1 : 0)
        slots = Dictionary(parameters.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        row = Array(repeating: .null, count: Self.stepColumns + parameters.count * width)
    }

    /// Takes one stream row, and hands `emit` the report row of the step before when it is complete.
    mutating func add(_ streamed: [SQLiteValue], emit: ([SQLiteValue]) throws -> Void) throws {
        guard case .integer(let rowStep) = streamed[0] else { return }
        if rowStep != step {
            try finish(emit: emit)
            step = rowStep
        }
        guard case .text(let name) = streamed[Self.stepColumns] else {
            for column in 0..<Self.stepColumns { row[column] = streamed[column] }
            hasStepRow = true
            return
        }
        guard let slot = slots[name] else { return }
        let start = Self.stepColumns + slot * width
        for column in 0..<width { row[start + column] = streamed[Self.stepColumns + 1 + column] }
    }

    /// Hands `emit` the row of the step gathered last, if the run logged that step (the report
    /// starts from the steps: a gradient without its step is not shown, as in the join).
    mutating func finish(emit: ([SQLiteValue]) throws -> Void) throws {
        if hasStepRow { try emit(row) }
        hasStepRow = false
        for index in row.indices { row[index] = .null }
    }
}
