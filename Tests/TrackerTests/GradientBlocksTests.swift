import Charts
import SQLiteDB
import Testing
@testable import Tracker
@testable import Training

@Suite struct GradientBlocksTests {
    func run(_ dataset: Dataset = .lesson, epochs: Int, checkEvery: Int = 1, in store: Store) throws -> Int64 {
        var config = TrainingConfig()
        config.epochs = epochs
        config.checkEvery = checkEvery
        return try RunExecutor.execute(RunRequest(dataset: dataset, config: config), in: store).runID
    }

    @Test func aRunWritesOneBlockPer256StepsAndTheLastPartOne() throws {
        let store = try Store(path: ":memory:")
        let id = try run(epochs: 600, in: store)
        let blocks = try store.db.rows("SELECT block, param, first_step, last_step, checks FROM gradient_blocks ORDER BY block, param")
        #expect(blocks == [[0, "b", 1, 256, 256], [0, "w", 1, 256, 256], [1, "b", 257, 512, 256], [1, "w", 257, 512, 256],
                           [2, "b", 513, 600, 88], [2, "w", 513, 600, 88]])
        let values = try store.db.rows("SELECT value FROM gradients WHERE param = 'w' AND step BETWEEN 257 AND 512")
            .compactMap { $0[0].doubleValue }
        let stored = try store.db.rows("SELECT value_low, value_high, value_nan FROM gradient_blocks WHERE block = 1 AND param = 'w'")
        #expect(stored == [[.real(values.min() ?? .nan), .real(values.max() ?? .nan), 0]])
        #expect(try GradientBlocks.firstDisagreement(id, in: store.db) == nil)
    }

    @Test func blocksCountedInSwiftWhileTrainingEqualTheSummaryInSQLEvenWithNaNAndInfinities() throws {
        let store = try Store(path: ":memory:")
        var config = TrainingConfig()
        config.learningRate = 1e308
        config.loss = .textbook
        config.epochs = 10
        let id = try RunExecutor.execute(RunRequest(dataset: .or, config: config), in: store).runID
        #expect(try store.db.scalar("SELECT status FROM runs") == "diverged")
        let special = try store.db.scalar(
            "SELECT sum(value_nan + value_plus_inf + value_minus_inf + rel_error_nan + rel_error_plus_inf) FROM gradient_blocks")
        #expect((special?.int64Value ?? 0) > 0)
        #expect(try GradientBlocks.firstDisagreement(id, in: store.db) == nil)
    }

    @Test func aKilledRunGetsTheBlocksAfterTheLastOneItWrote() throws {
        let store = try Store(path: ":memory:")
        let (recorder, _, _) = try CrashSweepTests.killedLessonRun(in: store, epochs: 1000, logged: 700)
        #expect(try store.db.scalar("SELECT max(block) FROM gradient_blocks") == .integer(1))
        try CrashSweep.sweep(store.db)
        #expect(try store.db.scalar("SELECT max(last_step) FROM gradient_blocks") == .integer(700))
        #expect(try GradientBlocks.firstDisagreement(recorder.runID, in: store.db) == nil)
        #expect(try RunVerifier.verify(recorder.runID, in: store).difference == nil)
    }

    @Test func verifyNamesABlockThatNoLongerSummarisesItsRows() throws {
        let store = try Store(path: ":memory:")
        let id = try run(epochs: 300, in: store)
        try store.db.run("UPDATE gradient_blocks SET value_high = value_high * 2 WHERE block = 1 AND param = 'b'")
        let difference = try RunVerifier.verify(id, in: store).difference
        #expect(difference?.column == "gradient_blocks")
        #expect(difference?.step == 257)
        #expect(try GradientBlocks.firstDisagreement(id, in: store.db) == 1)
    }

    // Each block number was counted up to the largest one: a stored block edited far out never ended
    // the count, and its first step, past Int64.max, trapped.
    @Test(arguments: [Int64.max, Int64.max / 2, 1 << 40, -3])
    func aBlockNumberEditedFarOutIsNamedAtOnce(block: Int64) throws {
        let store = try Store(path: ":memory:")
        let id = try run(epochs: 300, in: store)
        try store.db.execute("CREATE TEMP TABLE copied AS SELECT * FROM gradient_blocks WHERE block = 1 AND param = 'b'")
        try store.db.run("UPDATE copied SET block = ?", [.integer(block)])
        try store.db.execute("INSERT INTO gradient_blocks SELECT * FROM copied")
        #expect(try GradientBlocks.firstDisagreement(id, in: store.db) == block)
        let difference = try RunVerifier.verify(id, in: store).difference
        #expect(difference?.column == "gradient_blocks" && difference?.logged == "the rows of block \(block)")
        let (before, past) = block.multipliedReportingOverflow(by: 256)
        #expect(difference?.step == (past ? nil : Int(before + 1)))
        try GradientBlocks.complete(id, in: store.db)  // nothing after the far block: done at once
    }

    /// Envelopes filled with every point of `sql` (rows of parameter index, x, y).
    func expected(_ sql: String, _ id: Int64, _ store: Store, like empty: Envelope, count: Int) throws -> [Envelope] {
        var envelopes = Array(repeating: empty, count: count)
        for row in try store.db.rows(sql, [.integer(id)]) {
            envelopes[Int(row[0].int64Value ?? 0)].add(x: row[1].doubleValue ?? .nan, y: Measured.number(row[2]) ?? .nan)
        }
        return envelopes
    }

    func read(_ id: Int64, _ store: Store, errors: Bool, steps: Bool, like empty: Envelope) throws -> [Envelope] {
        let names = try RunCatalog(store: store).parameterNames(of: id)
        var envelopes = Array(repeating: empty, count: names.count)
        try ChartReader(store: store).readEveryParameter(names, of: id, errors: errors, steps: steps,
                                                          into: &envelopes, groups: Array(names.indices))
        return envelopes
    }

    /// A run with NaN, +Inf and -Inf among its values and errors, and blocks rewritten to match.
    func runWithSpecialValues(_ dataset: Dataset, epochs: Int, checkEvery: Int, in store: Store) throws -> Int64 {
        let id = try run(dataset, epochs: epochs, checkEvery: checkEvery, in: store)
        try store.db.execute("UPDATE gradients SET value = NULL, analytic = NULL WHERE step IN (8, 1002, 2997)")
        try store.db.execute("UPDATE gradients SET value = 9e999, numeric = 9e999 WHERE step IN (701, 1506)")
        try store.db.execute("UPDATE gradients SET value = -9e999, numeric = -1e308, analytic = 1e308 WHERE step = 1499")
        try store.db.execute("DELETE FROM gradient_blocks")
        try GradientBlocks.complete(id, in: store.db)
        return id
    }

    @Test(arguments: [(false, true), (true, true), (false, false)])
    func chartsReadFromBlocksEqualChartsReadRowByRow(errors: Bool, steps: Bool) throws {
        let store = try Store(path: ":memory:")
        let id = try runWithSpecialValues(.lesson, epochs: 3000, checkEvery: errors ? 7 : 1, in: store)
        // Four columns of 750 steps: most blocks are merged whole, some straddle two columns.
        let empty = Envelope(width: 4, xDomain: 1...3000)
        #expect(ChartReader.blocksPay(empty))
        let index = "CASE param WHEN 'w' THEN 0 ELSE 1 END"
        let sql = errors ? "SELECT \(index), step, rel_error FROM gradients WHERE run_id = ? AND passed IS NOT NULL"
            : steps ? "SELECT \(index), step, value FROM gradients WHERE run_id = ?"
            : "SELECT \(index), epoch, value FROM epoch_params WHERE run_id = ?"
        let want = try expected(sql, id, store, like: empty, count: 2)
        let got = try read(id, store, errors: errors, steps: steps, like: empty)
        #expect(got.map(\.columns) == want.map(\.columns))
        #expect(want[0].nonFiniteCount > 0)
    }

    @Test func endOfEpochValuesOfEpochsOfSeveralStepsAreTheEpochParamsView() throws {
        let store = try Store(path: ":memory:")
        let id = try run(.and, epochs: 800, in: store)  // four steps an epoch
        let empty = Envelope(width: 5, xDomain: 1...800)
        let want = try expected("SELECT position, epoch, value FROM epoch_params WHERE run_id = ?", id, store,
                                like: empty, count: 3)
        #expect(try read(id, store, errors: false, steps: false, like: empty).map(\.columns) == want.map(\.columns))
    }

    /// A 2,000-step lesson run whose blocks `edit` changes: its values per step, read for a chart
    /// two columns wide, must be those of every gradient row.
    func expectEveryRowsChart(after edit: String) throws {
        let store = try Store(path: ":memory:")
        let id = try run(epochs: 2000, in: store)
        try store.db.execute(edit)
        let empty = Envelope(width: 2, xDomain: 1...2000)
        let want = try expected("SELECT CASE param WHEN 'w' THEN 0 ELSE 1 END, step, value FROM gradients WHERE run_id = ?",
                                id, store, like: empty, count: 2)
        #expect(try read(id, store, errors: false, steps: true, like: empty).map(\.columns) == want.map(\.columns))
    }

    @Test func aBlockNumberEditedToOneNoStepCanHaveIsLeftOutAndItsStepsReadFromTheRows() throws {
        try expectEveryRowsChart(after: "UPDATE gradient_blocks SET block = 9223372036854775000 WHERE block = 1")
    }

    @Test func theNewestStepsOfARunStillTrainingAreReadFromItsRows() throws {
        // As while it trains: the blocks after the first are not written yet.
        try expectEveryRowsChart(after: "DELETE FROM gradient_blocks WHERE block > 0")
    }
}
