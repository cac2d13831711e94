import SQLiteDB

/// Builds the per-epoch report's rows (Reports/epochs.sql, without metrics) from one stream of a
/// run's epochs and gradients in step order, as `StoreReport` reads them. An epoch comes at
/// its last step and its parameters' values at the step after (the value the next step started
/// from), so an epoch waits for the next step's rows; within a step rows come in any order.
///
/// A stream row is `step, epoch, steps, mean_loss, worst_rel_error, accuracy, param, value`: an
/// epoch's row has its last step and no `param`; a gradient's row has no epoch columns.
struct EpochReportAssembler: ReportAssembler {
    private struct Waiting {
        let lastStep: Int64
        /// The report row, its parameters' values NULL until their rows come.
        var row: [SQLiteValue]
        var filled: [Bool]
    }

    private let parameters: [String]
    private let slots: [String: Int]
    private let lastLoggedStep: Int64?
    private let finals: [String: SQLiteValue]
    private let runID: Int64
    /// At most two: the epochs whose next step's rows may still come (two epochs ending at steps
    /// n and n + 1 both wait while the rows of step n + 1 come).
    private var waiting: [Waiting] = []
    /// Where the parameters' values start in a report row: after epoch, steps and mean_loss.
    private static let valuesStart = 3
    private var lastEpoch: Int64?

    /// An assembler for run `runID`'s report of these parameters (in the report's order), given the
    /// run's last logged step and its parameters' final values (`params.final`), which an epoch
    /// shows when no step followed it.
    init(runID: Int64, parameters: [String], lastLoggedStep: Int64?, finals: [String: SQLiteValue]) {
        (self.runID, self.parameters, self.lastLoggedStep, self.finals) = (runID, parameters, lastLoggedStep, finals)
        slots = Dictionary(parameters.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// Takes one stream row, and hands `emit` the rows of the epochs that it shows to be complete.
    mutating func add(_ row: [SQLiteValue], emit: ([SQLiteValue]) throws -> Void) throws {
        guard case .integer(let step) = row[0] else { return }
        while let first = waiting.first, first.lastStep + 1 < step { try emitFirst(emit) }
        guard case .text(let name) = row[6] else {
            try hold(epoch: row, lastStep: step)
            return
        }
        guard let slot = slots[name] else { return }
        for index in waiting.indices where waiting[index].lastStep + 1 == step {
            waiting[index].row[Self.valuesStart + slot] = row[7]
            waiting[index].filled[slot] = true
        }
    }

    /// Hands `emit` the rows of the epochs still waiting: no step comes after them.
    mutating func finish(emit: ([SQLiteValue]) throws -> Void) throws {
        while !waiting.isEmpty { try emitFirst(emit) }
    }

    private mutating func hold(epoch row: [SQLiteValue], lastStep: Int64) throws {
        guard case .integer(let epoch) = row[1] else { return }
        // The stream is in step order and the report in epoch order: they agree in every run gradlog
        // writes, and a store where they do not is refused rather than shown in another order.
        if let lastEpoch, epoch <= lastEpoch { throw TeamStoreProblem.epochsOutOfStepOrder(runID: runID) }
        lastEpoch = epoch
        var report = Array(row[1...3])
        report.reserveCapacity(Self.valuesStart + parameters.count + 2)
        report.append(contentsOf: repeatElement(.null, count: parameters.count))
        report.append(contentsOf: row[4...5])
        waiting.append(Waiting(lastStep: lastStep, row: report, filled: Array(repeating: false, count: parameters.count)))
    }

    private mutating func emitFirst(_ emit: ([SQLiteValue]) throws -> Void) throws {
        var epoch = waiting.removeFirst()
        // With no gradient at the next step, the value is the run's final one if no step followed
        // the epoch at all (the run ended there), and unknown if one did (it logged no values).
        if lastLoggedStep.map({ $0 <= epoch.lastStep }) ?? true {
            for slot in parameters.indices where !epoch.filled[slot] {
                epoch.row[Self.valuesStart + slot] = finals[parameters[slot]] ?? .null
            }
        }
        try emit(epoch.row)
    }
}
