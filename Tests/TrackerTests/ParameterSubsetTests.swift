import SQLiteDB
import Testing
@testable import Tracker
import Training

/// The step contract's third version: a step gives any of the run's parameters, and a parameter
/// may first appear at any step.
@Suite struct ParameterSubsetTests {
    func store() throws -> Store { try Store(path: ":memory:") }

    /// Every stored block equals the blocks summarised in SQL from the gradient rows.
    func expectBlocksAgree(_ store: Store, run: Int64 = 1) throws {
        #expect(try GradientBlocks.firstDisagreement(run, in: store.db) == nil)
        try RunConsistency.check(run, in: store.db, schemaName: "main", path: store.path)
    }

    @Test func aStepMayGiveSomeParametersInAnyOrderWithTheirGradients() throws {
        let store = try store()
        let run = try ExternalRun(store: store, setup: ExternalRunSetup(parameterNames: ["w1", "w2", "b"]), commitInterval: 0)
        try run.log(ExternalStep(step: 1, loss: 0.9, values: [1, 2, 3]))
        try run.log(ExternalStep(step: 2, loss: 0.8, values: [1.5], positions: [0]))
        try run.log(ExternalStep(step: 3, loss: 0.7, values: [3.5, 2.5], positions: [2, 1], analytic: [0.3, 0.2], numeric: [0.3, 0.25]))
        try run.finish(status: .finished, finalValues: [9], positions: [1])
        #expect(try store.db.rows("SELECT step, param, value, analytic, passed FROM gradients ORDER BY step, param") == [
            [1, "b", 3.0, .null, .null], [1, "w1", 1.0, .null, .null], [1, "w2", 2.0, .null, .null],
            [2, "w1", 1.5, .null, .null],
            [3, "b", 3.5, 0.3, 1], [3, "w2", 2.5, 0.2, 0],
        ])
        #expect(try store.db.rows("SELECT param, first_step, last_step, checks FROM gradient_blocks ORDER BY param") == [
            ["b", 1, 3, 1], ["w1", 1, 2, 0], ["w2", 1, 3, 1],
        ])
        #expect(try store.db.rows("SELECT param, final FROM params ORDER BY position") == [["w1", .null], ["w2", 9.0], ["b", .null]])
        #expect(try store.db.rows("SELECT failed_checks FROM runs") == [[1]])
        try expectBlocksAgree(store)
    }

    @Test func aParameterMayFirstAppearAtALaterStepStartingFromItsFirstValue() throws {
        let store = try store()
        let run = try ExternalRun(store: store, setup: ExternalRunSetup(), commitInterval: 0)
        try run.log(ExternalStep(step: 1, loss: 0.9))
        try run.log(ExternalStep(step: 2, loss: 0.8, values: [0.5], newParameters: ["w"]))
        let (positions, added) = run.positions(of: ["b", "w"])
        #expect(positions == [1, 0] && added == ["b"])
        try run.log(ExternalStep(step: 3, loss: 0.7, values: [-1, 0.6], positions: positions, newParameters: added))
        try run.log(ExternalStep(step: 4, loss: 0.6, values: [0.7, -0.9]))
        try run.finish(status: .finished, finalValues: [0.8, -0.8])
        #expect(try store.db.rows("SELECT param, position, initial, final FROM params ORDER BY position") == [
            ["w", 0, 0.5, 0.8], ["b", 1, -1.0, -0.8],
        ])
        #expect(try store.db.rows("SELECT step, count(*) FROM gradients GROUP BY step") == [[2, 1], [3, 2], [4, 2]])
        try expectBlocksAgree(store)
        var columns: [String] = []
        try RunCatalog(store: store).streamReport(.steps, of: 1, columns: { columns = $0 }, row: { _ in })
        #expect(columns.contains("w") && columns.contains("b_passed"))
    }

    @Test func declaredParametersGetTheirRowWithTheFirstStepThatGivesThem() throws {
        let store = try store()
        // A run declaring its parameters whose first step logs a loss only (this trapped before).
        let run = try ExternalRun(store: store, setup: ExternalRunSetup(parameterNames: ["w", "b"]), commitInterval: 0)
        try run.log(ExternalStep(step: 1, loss: 0.9))
        #expect(try store.db.scalar("SELECT count(*) FROM params") == .integer(0))
        try run.log(ExternalStep(step: 2, loss: 0.8, values: [0.25], positions: [1]))
        #expect(throws: TrackerError.externalStep(.finalWithoutSteps("w"))) {
            try run.finish(status: .finished, finalValues: [1, 2])
        }
        try run.finish(status: .finished, finalValues: [.nan, 2])
        #expect(try store.db.rows("SELECT param, position, initial, final FROM params") == [["b", 0, 0.25, 2.0]])
        try expectBlocksAgree(store)
    }

    @Test func sparseStepsAcrossManyBlocksKeepEachParametersBlockFigures() throws {
        let store = try store()
        let names = (1...5).map { "p\($0)" }
        let run = try ExternalRun(store: store, setup: ExternalRunSetup(parameterNames: names), commitInterval: 0)
        for step in 1...700 {
            // Parameter k is logged on the steps divisible by k + 1; every 7th step gives all of them, checked.
            let positions = step % 7 == 0 ? nil : names.indices.filter { step % ($0 + 1) == 0 }
            let count = positions?.count ?? names.count
            let values = (0..<count).map { Double(step) + Double($0) / 10 }
            let gradients = step % 3 == 0 ? values.map { $0 / 100 } : nil
            try run.log(ExternalStep(step: step, loss: 1, values: count == 0 ? nil : values, positions: positions,
                                     analytic: count == 0 ? nil : gradients, numeric: count == 0 ? nil : gradients))
        }
        try run.finish(status: .finished)
        try expectBlocksAgree(store)
        #expect(try store.db.scalar("SELECT count(DISTINCT block) FROM gradient_blocks") == .integer(3))
    }

    @Test func wrongPositionsAndNewNamesAreRefusedBeforeAnythingIsWritten() throws {
        let store = try store()
        let run = try ExternalRun(store: store, setup: ExternalRunSetup(parameterNames: ["w", "b"]), commitInterval: 0)
        try run.log(ExternalStep(step: 1, loss: 1, values: [1, 2], metrics: [("acc", 0.5)]))
        let refused: [(ExternalStep, ExternalStepProblem)] = [
            (ExternalStep(step: 2, values: [1, 2], positions: [0, 0]), .badPositions),
            (ExternalStep(step: 2, values: [1], positions: [2]), .badPositions),
            (ExternalStep(step: 2, values: [1], positions: [-1]), .badPositions),
            (ExternalStep(step: 2, values: [1, 2], positions: [0]), .parameterCount(expected: 1, got: 2, what: "params")),
            (ExternalStep(step: 2, values: [1], positions: [0], newParameters: ["v"]), .newParameterWithoutValue("v")),
            (ExternalStep(step: 2, loss: 1, newParameters: ["v"]), .newParameterWithoutValue("v")),
            (ExternalStep(step: 2, values: [.nan], positions: [2], newParameters: ["v"]), .firstValueNotFinite("v")),
            (ExternalStep(step: 2, values: [1], positions: [2], newParameters: ["acc"]), .badParameterName("acc")),
            (ExternalStep(step: 2, values: [1], positions: [2], newParameters: ["w_numeric"]), .badParameterName("w_numeric")),
            (ExternalStep(step: 2, values: [1], positions: [2], newParameters: ["acc_mean"]), .badParameterName("acc_mean")),
            (ExternalStep(step: 2, values: [1], positions: [2], newParameters: ["w"]), .badParameterName("w")),
            (ExternalStep(step: 2, values: [1], positions: [0], analytic: [1, 2]), .parameterCount(expected: 1, got: 2, what: "analytic")),
        ]
        for (step, problem) in refused {
            #expect(throws: TrackerError.externalStep(problem)) { try run.log(step) }
        }
        // Nothing of the refused steps was written, and the run goes on.
        try run.log(ExternalStep(step: 2, values: [3], positions: [2], newParameters: ["v"]))
        #expect(try store.db.rows("SELECT param FROM params ORDER BY position") == [["w"], ["b"], ["v"]])
        #expect(try store.db.scalar("SELECT count(*) FROM gradients") == .integer(3))
    }
}
