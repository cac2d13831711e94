import SQLiteDB
import TestSupport
import Testing
@testable import Tracker
import Training

/// The step contract's second version: any increasing step numbers, steps with only a loss or
/// metrics, parameters on some steps, every step its own epoch unless it says otherwise.
@Suite struct SparseExternalRunTests {
    @Test func aLoopThatLogsEveryTenStepsOnlyLossAndMetricsIsARun() throws {
        let directory = try TemporaryDirectory()
        let store = try Store(path: directory.file("sparse.db"))
        let run = try ExternalRun(store: store, setup: ExternalRunSetup(name: "sparse"), commitInterval: 0)
        for step in stride(from: 10, through: 100, by: 10) {
            try run.log(ExternalStep(step: step, loss: 1 / Double(step),
                                     metrics: [("val_loss", 2 / Double(step)), ("val_acc", Double(step) / 100)]))
        }
        try run.finish(status: .finished)
        // The counts are the last step's and epoch's numbers: how far training went, gaps and all.
        #expect(try store.db.rows("SELECT status, step_count, epoch_count FROM runs") == [["finished", 100, 100]])
        // Every step is its own epoch, numbered as the step: 10, 20, ..., each with one step.
        #expect(try store.db.rows("SELECT epoch, steps, last_step FROM epochs ORDER BY epoch LIMIT 2") == [[10, 1, 10], [20, 1, 20]])
        #expect(try store.db.scalar("SELECT count(*) FROM gradients") == .integer(0))
        #expect(try store.db.scalar("SELECT count(*) FROM step_metrics") == .integer(20))
        try RunConsistency.check(1, in: store.db, schemaName: "main", path: store.path)
        var reported: [[SQLiteValue]] = []
        try RunCatalog(store: store).streamReport(.steps, of: 1, columns: { _ in }, row: { reported.append($0) })
        #expect(reported.count == 10 && reported.first?.first == .integer(10))
    }

    @Test func watchedParametersMayBeLoggedOnSomeStepsOnly() throws {
        let store = try Store(path: ":memory:")
        let run = try ExternalRun(store: store, setup: ExternalRunSetup(parameterNames: ["w"]), commitInterval: 0)
        try run.log(ExternalStep(step: 1, epoch: 1, loss: 0.9, values: [0.5], analytic: [0.1], numeric: [0.1]))
        try run.log(ExternalStep(step: 5, epoch: 1, loss: 0.7))
        try run.log(ExternalStep(step: 9, epoch: 2, loss: 0.5, values: [0.4]))
        try run.finish(status: .finished)
        #expect(try store.db.rows("SELECT step FROM gradients ORDER BY step") == [[1], [9]])
        #expect(try store.db.rows("SELECT epoch, steps, last_step FROM epochs ORDER BY epoch") == [[1, 2, 5], [2, 1, 9]])
        try RunConsistency.check(1, in: store.db, schemaName: "main", path: store.path)
        var reported: [[SQLiteValue]] = []
        try RunCatalog(store: store).streamReport(.steps, of: 1, columns: { _ in }, row: { reported.append($0) })
        // The step without values is reported with empty parameter columns, not left out.
        #expect(reported.map { $0[0] } == [1, 5, 9] && reported[1][4] == .null)
    }

    @Test func theContractsRulesAreCheckedBeforeAnythingIsWritten() throws {
        let store = try Store(path: ":memory:")
        let run = try ExternalRun(store: store, setup: ExternalRunSetup(), commitInterval: 0)
        try run.log(ExternalStep(step: 3, epoch: 2, loss: 1))
        let refused: [(ExternalStep, ExternalStepProblem)] = [
            (ExternalStep(step: 3, loss: 1), .stepNotIncreasing(previous: 3, step: 3)),
            (ExternalStep(step: 4, epoch: 1, loss: 1), .epochDecreasing(previous: 2, epoch: 1, given: true)),
            (ExternalStep(step: 4, metrics: []), .noScalar),
            (ExternalStep(step: 4, values: [1]), .parameterCount(expected: 0, got: 1, what: "params")),
            (ExternalStep(step: 4, loss: 1, numeric: [1]), .gradientsWithoutValues(what: "numeric")),
        ]
        for (step, problem) in refused {
            #expect(throws: TrackerError.externalStep(problem)) { try run.log(step) }
        }
        try run.log(ExternalStep(step: 1000, metrics: [("lr", 0.1)]))
        #expect(try store.db.rows("SELECT step, epoch, loss FROM steps ORDER BY step") == [[3, 2, 1.0], [1000, 1000, .null]])
    }

    @Test func thePerEpochReportGivesEachMetricsLastValueAndMeanInTheEpoch() throws {
        let store = try Store(path: ":memory:")
        let run = try ExternalRun(store: store, setup: ExternalRunSetup(), commitInterval: 0)
        let steps: [(step: Int, epoch: Int, metric: Double?)] = [(1, 1, nil), (2, 1, 1), (3, 1, nil), (4, 1, 3), (5, 2, nil), (6, 2, 5), (7, 3, nil)]
        for (step, epoch, metric) in steps {
            try run.log(ExternalStep(step: step, epoch: epoch, loss: 0.5, metrics: metric.map { [("acc", $0)] } ?? []))
        }
        try run.finish(status: .finished)
        var rows: [[SQLiteValue]] = []
        var columns: [String] = []
        try RunCatalog(store: store).streamReport(.epochs, of: 1, columns: { columns = $0 }, row: { rows.append($0) })
        #expect(columns.suffix(2) == ["acc", "acc_mean"])
        #expect(rows.map { Array($0.suffix(2)) } == [[3.0, 2.0], [5.0, 5.0], [.null, .null]])
    }

    @Test func aMetricWhoseNameWouldShareAMeanColumnIsRefused() throws {
        let store = try Store(path: ":memory:")
        let run = try ExternalRun(store: store, setup: ExternalRunSetup(parameterNames: ["w_mean"]), commitInterval: 0)
        try run.log(ExternalStep(step: 1, loss: 1, values: [0.5], metrics: [("acc", 1)]))
        for name in ["acc_mean", "w"] {
            #expect(throws: TrackerError.externalStep(.badMetricName(name))) {
                try run.log(ExternalStep(step: 2, loss: 1, metrics: [(name, 1)]))
            }
        }
        #expect(throws: TrackerError.externalStep(.badMetricName("b_mean"))) {
            try run.log(ExternalStep(step: 2, loss: 1, metrics: [("b", 1), ("b_mean", 2)]))
        }
    }
}
