#if canImport(Glibc)
import Glibc
#endif
import SQLiteDB
import TestSupport
import Testing
@testable import Tracker
import Training

/// What `runs` and `show` read of a run still training: the steps and epoch reached, the latest
/// step's loss and the rate, for runs of every writer, read from the rows.
@Suite struct LiveProgressTests {
    /// A running run logged from outside (this process, alive, is its writer), committed after each step.
    func runningRun(in store: Store, losses: [Double]) throws -> ExternalRun {
        let run = try ExternalRun(store: store, setup: ExternalRunSetup(parameterNames: ["w", "b"]), commitInterval: 0)
        for (index, loss) in losses.enumerated() {
            try run.log(ExternalStep(step: index + 1, epoch: index / 2 + 1, loss: loss, values: [0.5, -1]))
        }
        return run
    }

    /// The value in `column` of the listed run `id`.
    func listed(_ table: Table, id: Int64, _ column: String) -> SQLiteValue? {
        guard let index = table.columns.firstIndex(of: column),
              let row = table.rows.first(where: { $0.first == .integer(id) }) else { return nil }
        return row[index]
    }

    /// The value of `field` in `show`'s rows.
    func shown(_ table: Table, _ field: String) -> SQLiteValue? {
        table.rows.first { $0[0] == .text(field) }?[1]
    }

    @Test func aRunningRunIsListedWithItsStepsEpochLatestLossAndRate() throws {
        let directory = try TemporaryDirectory()
        let store = try Store(path: directory.file("live.db"))
        _ = try RunExecutor.execute(RunRequest(dataset: .lesson, config: { var c = TrainingConfig(); c.epochs = 3; return c }()),
                                    in: store)
        let run = try runningRun(in: store, losses: [0.9, 0.7, 0.5, .nan])
        // A rate needs a tenth of a second at least between the start and the last commit.
        usleep(120_000)
        try run.log(ExternalStep(step: 5, epoch: 3, loss: 0.25, values: [0.5, -1]))
        let id = try #require(run.runID)
        let reader = RunCatalog(store: try Store(path: directory.file("live.db"), access: .read))
        let table = try reader.list()
        #expect(table.columns == ["id", "name", "status", "dataset", "lr", "epochs", "steps", "epoch", "latest_loss",
                                  "steps_per_s", "final_loss", "started_at", "user"])
        #expect(listed(table, id: id, "steps") == .integer(5))
        #expect(listed(table, id: id, "epoch") == .integer(3))
        #expect(listed(table, id: id, "latest_loss") == .real(0.25))
        let rate = try #require(listed(table, id: id, "steps_per_s")?.doubleValue)
        #expect(rate > 0 && rate <= 5 / 0.12, "\(rate)")
        #expect(listed(table, id: id, "final_loss") == .null)
        // An ended run has its final loss instead, and no rate: a finished run is not progressing.
        #expect(listed(table, id: 1, "steps") == .integer(3))
        #expect(listed(table, id: 1, "latest_loss") == .null)
        #expect(listed(table, id: 1, "steps_per_s") == .null)
        let details = try reader.details(of: id)
        #expect(shown(details, "latest_loss") == .real(0.25))
        #expect(shown(details, "steps_per_s")?.doubleValue ?? 0 > 0)
        #expect(shown(details, "step_count") == .integer(5))
        try run.finish(status: .finished)
        let ended = RunCatalog(store: try Store(path: directory.file("live.db"), access: .read))
        #expect(listed(try ended.list(), id: id, "latest_loss") == .null)
        #expect(shown(try ended.details(of: id), "steps_per_s") == .null)
        #expect(shown(try ended.details(of: id), "latest_loss") == .null)
    }

    @Test func aStepLossThatWasNotANumberIsAnEmptyLatestLoss() throws {
        let store = try Store(path: ":memory:")
        let run = try runningRun(in: store, losses: [0.9, .nan])
        #expect(listed(try RunCatalog(store: store).list(), id: try #require(run.runID), "latest_loss") == .null)
    }

    @Test func withGapsInTheNumberingTheLastStepsNumberAndLossAreShown() throws {
        let store = try Store(path: ":memory:")
        let run = try runningRun(in: store, losses: [0.9])
        let id = try #require(run.runID)
        // Steps 10, 20, 30, as a producer that logs every tenth step writes them (by SQL here).
        try store.db.execute("""
            DELETE FROM gradients WHERE run_id = \(id); DELETE FROM steps WHERE run_id = \(id);
            INSERT INTO steps(run_id, step, epoch, loss) VALUES (\(id), 10, 1, 0.5), (\(id), 20, 1, 0.4), (\(id), 30, 2, 0.3);
            UPDATE runs SET step_count = 30, epoch_count = 2, started_at = '2026-12-01T10:00:00.000Z',
                            heartbeat_at = '2026-12-01T10:00:04.000Z' WHERE id = \(id);
            """)
        let table = try RunCatalog(store: store).list()
        #expect(listed(table, id: id, "steps") == .integer(30))
        #expect(listed(table, id: id, "epoch") == .integer(2))
        #expect(listed(table, id: id, "latest_loss") == .real(0.3))
        #expect(listed(table, id: id, "steps_per_s") == .real(7.5))
        // The first commit, milliseconds after the start, gives no rate: 30 steps in 50 ms is noise.
        try store.db.execute("UPDATE runs SET heartbeat_at = '2026-12-01T10:00:00.050Z' WHERE id = \(id)")
        #expect(listed(try RunCatalog(store: store).list(), id: id, "steps_per_s") == .null)
        let latest = try #require(try RunCatalog(store: store).latestStep(of: id))
        #expect((latest.step, latest.epoch, latest.loss) == (30, 2, 0.3))
    }

    @Test func aRunsRecorderSeesItsOwnLatestStepBeforeItCommits() throws {
        let store = try Store(path: ":memory:")
        let run = try ExternalRun(store: store, setup: ExternalRunSetup(parameterNames: ["w"]), commitInterval: 3600)
        #expect(run.runID == nil)
        try run.log(ExternalStep(step: 1, loss: 0.7, values: [1], analytic: [0.5], numeric: [0.5]))
        try run.log(ExternalStep(step: 2, loss: 0.6, values: [1], analytic: [0.5], numeric: [.nan]))
        let id = try #require(run.runID)
        let latest = try #require(try RunCatalog(store: store).latestStep(of: id))
        #expect((latest.step, latest.epoch, latest.loss) == (2, 2, 0.6))
        // The worst error is the one of the last commit, the first step's (a run commits its first
        // step at once), not yet the second step's NaN.
        #expect(latest.worstRelativeError == 0)
        try run.finish(status: .finished)
        let ended = try #require(try RunCatalog(store: store).latestStep(of: id))
        #expect(ended.worstRelativeError?.isNaN == true)
        #expect(try RunCatalog(store: store).latestStep(of: 99) == nil)
    }

    @Test func ratesAreRoundedToThreeSignificantDigitsBelowAHundredAndToWholeStepsAbove() {
        #expect(ProgressColumns.rounded(206_621.4) == 206_621)
        #expect(ProgressColumns.rounded(100.5) == 101)
        #expect(ProgressColumns.rounded(12.345) == 12.3)
        #expect(ProgressColumns.rounded(0.041_666) == 0.0417)
        #expect(ProgressColumns.rounded(99.96) == 100)
        #expect(ProgressColumns.rounded(0) == 0)
        #expect(ProgressColumns.rounded(1e-300) == 0)  // no endless scaling: far below any real rate
        #expect(ProgressColumns.rounded(.infinity) == .infinity)
    }
}
