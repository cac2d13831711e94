import PostgresDB
import SQLiteDB

/// Builds the per-epoch report's rows (Reports/epochs.sql, without metrics) from one stream of a
/// run's epochs and gradients in step order, as `StoreReport` reads them. An epoch comes at
/// its last step and its parameters' values at the step after (the value the next step started
/// from), so an epoch waits for the next step's rows; within a step rows come in any order.
///
/// A stream row has the columns `step`, `epoch`, `steps`, `mean_loss`, `worst_rel_error`,
/// `accuracy`, `param` and `value`, found by name once: an epoch's row has its last step and no
/// `param`; a gradient's row has no epoch columns.
struct EpochReportAssembler: ReportAssembler {
    /// Where a stream row's columns are.
    private struct Columns {
        let step, epoch, param, value: Int
        /// The report's columns before the parameters' values, and after them.
        let head, tail: [Int]

        init(_ columns: PostgresColumns) throws(PostgresError) {
            (step, epoch, param, value) = try (columns.index(of: "step"), columns.index(of: "epoch"),
                                               columns.index(of: "param"), columns.index(of: "value"))
            head = try columns.indexes(of: ["epoch", "steps", "mean_loss"])
            tail = try columns.indexes(of: ["worst_rel_error", "accuracy"])
        }
    }

    private struct Waiting {
        let lastStep: Int64
        /// The report row, its parameters' values NULL until their rows come.
        var row: [SQLiteValue]
        var filled: [Bool]
    }

    private let columns: Columns
    private let parameters: [String]
    private let slots: [String: Int]
    private let lastLoggedStep: Int64?
    private let finals: [String: SQLiteValue]
    private let runID: Int64
    /// At most two: the epochs whose next step's rows may still come (two epochs ending at steps
    /// n and n + 1 both wait while the rows of step n + 1 come).
    private var waiting: [Waiting] = []
    private var lastEpoch: Int64?

    /// An assembler of a stream of `columns` for run `runID`'s report of these parameters (in the
    /// report's order), given the run's last logged step and its parameters' final values
    /// (`params.final`), which an epoch shows when no step followed it.
    init(columns: PostgresColumns, runID: Int64, parameters: [String], lastLoggedStep: Int64?,
         finals: [String: SQLiteValue]) throws(PostgresError) {
        self.columns = try Columns(columns)
        (self.runID, self.parameters, self.lastLoggedStep, self.finals) = (runID, parameters, lastLoggedStep, finals)
        slots = Dictionary(parameters.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// Where the parameters' values start in a report row: after its head columns.
    private var valuesStart: Int { columns.head.count }

    /// Takes one stream row, and hands `emit` the rows of the epochs that it shows to be complete.
    mutating func add(_ row: [SQLiteValue], emit: ([SQLiteValue]) throws -> Void) throws {
        guard case .integer(let step) = row[columns.step] else { return }
        while let first = waiting.first, first.lastStep + 1 < step { try emitFirst(emit) }
        guard case .text(let name) = row[columns.param] else {
            try hold(epoch: row, lastStep: step)
            return
        }
        guard let slot = slots[name] else { return }
        for index in waiting.indices where waiting[index].lastStep + 1 == step {
            waiting[index].row[valuesStart + slot] = row[columns.value]
            waiting[index].filled[slot] = true
        }
    }

    /// Hands `emit` the rows of the epochs still waiting: no step comes after them.
    mutating func finish(emit: ([SQLiteValue]) throws -> Void) throws {
        while !waiting.isEmpty { try emitFirst(emit) }
    }

    private mutating func hold(epoch row: [SQLiteValue], lastStep: Int64) throws {
        guard case .integer(let epoch) = row[columns.epoch] else { return }
        // The stream is in step order and the report in epoch order: they agree in every run gradlog
        // writes, and a store where they do not is refused rather than shown in another order.
        if let lastEpoch, epoch <= lastEpoch { throw TeamStoreProblem.epochsOutOfStepOrder(runID: runID) }
        lastEpoch = epoch
        var report = columns.head.map { row[$0] }
        report.reserveCapacity(valuesStart + parameters.count + columns.tail.count)
        report.append(contentsOf: repeatElement(.null, count: parameters.count))
        report.append(contentsOf: columns.tail.map { row[$0] })
        waiting.append(Waiting(lastStep: lastStep, row: report, filled: Array(repeating: false, count: parameters.count)))
    }

    private mutating func emitFirst(_ emit: ([SQLiteValue]) throws -> Void) throws {
        var epoch = waiting.removeFirst()
        // With no gradient at the next step, the value is the run's final one if no step followed
        // the epoch at all (the run ended there), and unknown if one did (it logged no values).
        if lastLoggedStep.map({ $0 <= epoch.lastStep }) ?? true {
            for slot in parameters.indices where !epoch.filled[slot] {
                epoch.row[valuesStart + slot] = finals[parameters[slot]] ?? .null
            }
        }
        try emit(epoch.row)
    }
}
