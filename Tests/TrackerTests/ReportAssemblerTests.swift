import PostgresDB
import SQLiteDB
import Testing
@testable import Tracker

/// The per-step and per-epoch reports built from a run's rows streamed in step order, as a report
/// read in place gets them: rows of one step in any order, gaps, an epoch that no step follows.
struct ReportAssemblerTests {
    private func assembled<A: ReportAssembler>(_ assembler: A, _ rows: [[SQLiteValue]]) throws -> [[SQLiteValue]] {
        var assembler = assembler
        var report: [[SQLiteValue]] = []
        for row in rows { try assembler.add(row) { report.append($0) } }
        try assembler.finish { report.append($0) }
        return report
    }

    /// The per-step stream's columns, in the order of the rows below.
    private let stepStream = PostgresColumns(StepReportAssembler.stepColumns + ["param"] + StepReportAssembler.gradientColumns(autodiff: false))

    /// A stream row of the per-step report: a step's own (no parameter) or a gradient's.
    private func step(_ step: Int64, loss: Double) -> [SQLiteValue] {
        [.integer(step), .integer(1), .integer(1), .real(loss), .null] + Array(repeating: .null, count: 6)
    }

    private func gradient(_ step: Int64, _ name: String, _ value: Double) -> [SQLiteValue] {
        [.integer(step), .null, .null, .null, .text(name), .real(value), .real(1), .real(1), .real(0), .real(0), .integer(1)]
    }

    @Test("the per-step report puts each parameter in its place, whichever row of a step comes first")
    func stepsInAnyOrderWithinAStep() throws {
        let rows = [gradient(1, "b", 2), step(1, loss: 0.5), gradient(1, "w", 1),
                    step(2, loss: 0.25), gradient(2, "w", 3), gradient(2, "other", 9), gradient(3, "w", 4)]
        let report = try assembled(StepReportAssembler(columns: stepStream, parameters: ["w", "b"], autodiff: false), rows)
        // Step 3 has gradients but no row of its own: the report starts from the steps, as the join does.
        #expect(report.count == 2)
        #expect(report[0].count == 4 + 2 * 6)
        #expect(report[0][3] == .real(0.5) && report[0][4] == .real(1) && report[0][10] == .real(2))
        #expect(report[1][4] == .real(3) && report[1][10] == .null && report[1][15] == .null)
    }

    /// The per-epoch stream's columns, in the order of the rows below.
    private let epochStream = PostgresColumns(["step", "epoch", "steps", "mean_loss", "worst_rel_error", "accuracy", "param", "value"])

    /// A stream row of the per-epoch report: an epoch at its last step, or a gradient's value.
    private func epoch(_ epoch: Int64, lastStep: Int64) -> [SQLiteValue] {
        [.integer(lastStep), .integer(epoch), .integer(1), .real(0.5), .real(0), .real(1), .null, .null]
    }

    private func value(_ step: Int64, _ name: String, _ value: Double) -> [SQLiteValue] {
        [.integer(step), .null, .null, .null, .null, .null, .text(name), .real(value)]
    }

    @Test("an epoch shows the values of the step after it, the final values when none follows, else NULL")
    func epochsTakeTheNextStepsValues() throws {
        let assembler = try EpochReportAssembler(columns: epochStream, runID: 1, parameters: ["w", "b"], lastLoggedStep: 4,
                                             finals: ["w": .real(40), "b": .real(-40)])
        // Epochs end at steps 1, 2 and 4; rows of one step come in either order; step 3 logged no values.
        let rows = [value(1, "w", 10), epoch(1, lastStep: 1), value(2, "b", 2), epoch(2, lastStep: 2),
                    value(2, "w", 20), epoch(3, lastStep: 4)]
        let report = try assembled(assembler, rows)
        #expect(report.map { $0[0] } == [.integer(1), .integer(2), .integer(3)])
        #expect(report[0][3] == .real(20) && report[0][4] == .real(2))
        #expect(report[1][3] == .null && report[1][4] == .null)
        #expect(report[2][3] == .real(40) && report[2][4] == .real(-40))
        #expect(report[0].count == 3 + 2 + 2)
    }

    @Test("an epoch whose next step came but logged no values shows NULL, not the final value")
    func gapBeforeTheEnd() throws {
        let assembler = try EpochReportAssembler(columns: epochStream, runID: 1, parameters: ["w"], lastLoggedStep: 9, finals: ["w": .real(1)])
        let report = try assembled(assembler, [epoch(1, lastStep: 5), value(9, "w", 3)])
        #expect(report.count == 1 && report[0][3] == .null)
    }

    @Test("a stream without a column the assembler reads is refused, naming the column")
    func aMissingColumnIsNamed() {
        let error = #expect(throws: PostgresError.self) {
            try EpochReportAssembler(columns: PostgresColumns(["step", "epoch"]), runID: 1, parameters: [], lastLoggedStep: nil, finals: [:])
        }
        #expect(error?.message == "the query has no column named param")
        #expect(throws: PostgresError.self) {
            try StepReportAssembler(columns: PostgresColumns(StepReportAssembler.stepColumns + ["param"]), parameters: [], autodiff: false)
        }
    }

    @Test("epochs that do not follow their steps' order are refused, not shown in another order")
    func epochsOutOfOrder() throws {
        let assembler = try EpochReportAssembler(columns: epochStream, runID: 7, parameters: ["w"], lastLoggedStep: 2, finals: [:])
        #expect(throws: TeamStoreProblem.epochsOutOfStepOrder(runID: 7)) {
            try assembled(assembler, [epoch(2, lastStep: 1), epoch(1, lastStep: 2)])
        }
    }
}
