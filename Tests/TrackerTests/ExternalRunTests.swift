import Foundation
import SQLiteDB
import Synchronization
import TestSupport
import Testing
@testable import Tracker
import Training

@Suite struct ExternalRunTests {
    func setup(_ names: [String] = ["w", "b"]) -> ExternalRunSetup {
        ExternalRunSetup(name: "outside", parameterNames: names)
    }

    @Test("A writer waiting for the lock gets its turn while a run commits after every step")
    func aWaitingWriterGetsItsTurnBetweenCommits() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("turns.db")
        let run = try ExternalRun(store: try Store(path: path), setup: setup(), commitInterval: 0)
        func log(_ step: Int) throws {
            try run.log(ExternalStep(step: step, loss: 1, values: [1, 2], analytic: nil, numeric: nil))
        }
        try log(1)
        // The recorder pauses after a commit at most every `yieldSpacing` seconds, not after each one:
        // another connection that waits for the lock must still get it while the run goes on.
        let written = Mutex<Bool?>(nil), done = DispatchGroup()
        onOwnThread(in: done) {
            let succeeded = (try? Database(path: path)).map { other in
                other.setBusyTimeout(milliseconds: 5_000)
                return (try? other.execute("INSERT INTO tags (run_id, key, value) VALUES (1, 'k', 'v')")) != nil
            }
            written.withLock { $0 = succeeded ?? false }
        }
        var step = 2
        while written.withLock({ $0 }) == nil && step < 1_000_000 {
            try log(step)
            step += 1
        }
        done.wait()
        #expect(written.withLock { $0 } == true, "the other writer waited \(step) steps and gave up")
        try run.finish(status: .finished)
        #expect(try Database(path: path).scalar("SELECT value FROM tags WHERE key = 'k'") == "v")
    }

    // Another program's write must find the lock free while the loop logs nothing: the sqlite3
    // shell's own busy handler sleeps up to 100 ms between tries and missed a 2 ms gap 6 times in 10.
    @Test func aRunThatLogsNothingForAWhileLeavesTheWriteLockFree() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("idle.db")
        let run = try ExternalRun(store: try Store(path: path), setup: setup(), commitInterval: 0)
        let other = try Database(path: path)  // no busy timeout: a held lock fails it at once
        func tag(_ key: String) throws {
            try other.execute("BEGIN IMMEDIATE; INSERT INTO tags (run_id, key, value) VALUES (1, '\(key)', 'v'); COMMIT")
        }
        try run.log(ExternalStep(step: 1, loss: 1, values: [1, 2], analytic: nil, numeric: nil))
        try tag("after-a-step")
        try run.commitIfDue()  // the idle loop's commit: the heartbeat, nothing else
        try tag("after-an-idle-commit")
        try run.log(ExternalStep(step: 2, loss: 0.5, values: [1.5, 2], analytic: nil, numeric: nil))
        try run.finish(status: .finished)
        #expect(try other.rows("SELECT status, step_count FROM runs") == [["finished", 2]])
        #expect(try other.scalar("SELECT count(*) FROM tags") == .integer(2))
        #expect(try RunVerifier.fingerprintDifference(1, in: other) == nil)
    }

    // Counts went through a Double: above 2^53 an epochs row was rounded (and merge then called the
    // file edited), and near 2^63 converting back trapped, in the run and in every later open's sweep.
    @Test(arguments: [Int.max, Int.max - 1, 1 << 53 + 1])
    func stepAndEpochNumbersAreStoredExactlyUpToTheLargestInteger(number: Int) throws {
        let store = try Store(path: ":memory:")
        let run = try ExternalRun(store: store, setup: setup(), commitInterval: 0)
        try run.log(ExternalStep(step: 1, epoch: number, loss: 1, values: [1, 2], analytic: nil, numeric: nil))
        try run.log(ExternalStep(step: number, epoch: number, loss: 0.5, values: [1, 2], analytic: nil, numeric: nil))
        // Killed before its end: the next open's sweep rebuilds the open epoch's row.
        try store.db.run("UPDATE runs SET pid = 999999999, process_token = 'gone:1'")
        try CrashSweep.sweep(store.db)
        #expect(try store.db.rows("SELECT epoch, steps, last_step FROM epochs") == [[.integer(Int64(number)), 2, .integer(Int64(number))]])
        #expect(try store.db.rows("SELECT status, step_count FROM runs") == [["crashed", .integer(Int64(number))]])
        #expect(try RunVerifier.fingerprintDifference(1, in: store.db) == nil)
    }

    // Its heartbeat took the lock again at each idle commit, so a lock held elsewhere past the busy
    // timeout failed a run that had nothing to commit.
    @Test func anIdleCommitThatFindsTheLockHeldIsPutOffNotFailed() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("held.db")
        let store = try Store(path: path)
        let run = try ExternalRun(store: store, setup: setup(), commitInterval: 0)
        try run.log(ExternalStep(step: 1, loss: 1, values: [1, 2], analytic: nil, numeric: nil))
        let holder = try Database(path: path)
        try holder.execute("BEGIN IMMEDIATE")
        store.db.setBusyTimeout(milliseconds: 20)
        try run.commitIfDue()
        try holder.execute("COMMIT")
        try run.log(ExternalStep(step: 2, loss: 0.5, values: [1.5, 2], analytic: nil, numeric: nil))
        try run.finish(status: .finished)
        #expect(try holder.rows("SELECT status, step_count FROM runs") == [["finished", 2]])
    }

    @Test func aKilledExternalRunIsMarkedCrashedWithItsEpochRowsAndBlocksCompleted() throws {
        let store = try Store(path: ":memory:")
        let run = try ExternalRun(store: store, setup: setup(), commitInterval: 0)
        for step in 1...300 {
            try run.log(ExternalStep(step: step, epoch: (step + 99) / 100, loss: 1 / Double(step),
                                     values: [Double(step), -Double(step)], analytic: [0.5, 0.25], numeric: [0.5, 0.25]))
        }
        // Due after every step: each is committed, and the lock left free, as before a kill.
        #expect(!store.db.isInTransaction)
        try store.db.run("UPDATE runs SET pid = 999999999, process_token = 'gone:1'")
        #expect(try store.db.scalar("SELECT count(*) FROM epochs") == .integer(2))
        try CrashSweep.sweep(store.db)
        #expect(try store.db.rows("SELECT status, source, step_count FROM runs") == [["crashed", "external", 300]])
        #expect(try store.db.rows("SELECT epoch, steps, last_step FROM epochs ORDER BY epoch") == [[1, 100, 100], [2, 100, 200], [3, 100, 300]])
        #expect(try store.db.scalar("SELECT count(accuracy) FROM epochs") == .integer(0))
        #expect(try GradientBlocks.firstDisagreement(1, in: store.db) == nil)
        #expect(try store.db.scalar("SELECT max(last_step) FROM gradient_blocks") == .integer(300))
    }

    @Test func aStepCommitsTogetherWithItsMetricsAndTheEpochRowItCloses() throws {
        let directory = try TemporaryDirectory()
        let store = try Store(path: directory.file("atomic.db"))
        let reader = try Database(path: directory.file("atomic.db"), mode: .readOnly)
        let run = try ExternalRun(store: store, setup: setup(), commitInterval: 0)  // due after every step
        for step in 1...40 {
            try run.log(ExternalStep(step: step, epoch: (step + 9) / 10, loss: 1, values: [1, 2],
                                     metrics: [("val_loss", 0.5), ("val_acc", 0.9)]))
            // What another process sees between two steps: whole steps only.
            let seen = try reader.rows("""
                SELECT (SELECT count(*) FROM steps), (SELECT count(*) FROM step_metrics),
                       (SELECT count(*) FROM epochs), (SELECT coalesce(max(step), 0) FROM steps)
                """)[0].map { $0.int64Value ?? -1 }
            #expect(seen[1] == 2 * seen[0], "step \(step): \(seen)")
            #expect(seen[2] == (seen[3] - 1) / 10, "step \(step): \(seen)")
        }
        try run.finish(status: .finished)
        #expect(try reader.scalar("SELECT count(*) FROM step_metrics") == .integer(80))
    }

    @Test func moreParametersThanARunLoggedFromOutsideMayHaveAreRefused() throws {
        let store = try Store(path: ":memory:")
        let names = (0...ExternalRun.maxParameters).map { "p\($0)" }
        #expect(throws: TrackerError.externalStep(.tooManyParameters(limit: ExternalRun.maxParameters))) {
            try ExternalRun(store: store, setup: setup(names))
        }
        // One fewer is a run, its names checked against each other in linear time.
        #expect(try ExternalRun(store: store, setup: setup(Array(names.dropLast()))).runID == nil)
    }

    @Test func stepsOutOfOrderOrOfTheWrongShapeAreRefusedBeforeAnythingIsWritten() throws {
        let store = try Store(path: ":memory:")
        let run = try ExternalRun(store: store, setup: setup(), commitInterval: 0)
        #expect(throws: TrackerError.externalStep(.stepNotIncreasing(previous: 0, step: 0))) {
            try run.log(ExternalStep(step: 0, values: [1, 2]))
        }
        #expect(throws: TrackerError.externalStep(.firstValueNotFinite("b"))) {
            try run.log(ExternalStep(step: 1, values: [1, .infinity]))
        }
        #expect(run.runID == nil)
        try run.log(ExternalStep(step: 1, values: [1, 2]))
        let refused: [(ExternalStep, ExternalStepProblem)] = [
            (ExternalStep(step: 1, values: [1, 2]), .stepNotIncreasing(previous: 1, step: 1)),
            (ExternalStep(step: 2, epoch: 0, values: [1, 2]), .epochDecreasing(previous: 1, epoch: 0, given: true)),
            (ExternalStep(step: 2), .noScalar),
            (ExternalStep(step: 2, loss: 1, analytic: [1, 2]), .gradientsWithoutValues(what: "analytic")),
            (ExternalStep(step: 2, values: [1]), .parameterCount(expected: 2, got: 1, what: "params")),
            (ExternalStep(step: 2, values: [1, 2], numeric: [1]), .parameterCount(expected: 2, got: 1, what: "numeric")),
            (ExternalStep(step: 2, batchSize: 0, values: [1, 2]), .badBatchSize(0)),
            (ExternalStep(step: 2, values: [1, 2], metrics: [("w_analytic", 1)]), .badMetricName("w_analytic")),
            (ExternalStep(step: 2, values: [1, 2], metrics: [("mean_loss", 1)]), .badMetricName("mean_loss")),
            (ExternalStep(step: 2, values: [1, 2], metrics: [("m", 1), ("m", 2)]), .duplicateMetric("m")),
        ]
        for (step, problem) in refused {
            #expect(throws: TrackerError.externalStep(problem)) { try run.log(step) }
        }
        #expect(try store.db.scalar("SELECT count(*) FROM steps") == .integer(1))
        #expect(throws: TrackerError.externalStep(.badParameterName("w_rel_error"))) {
            try ExternalRun(store: store, setup: setup(["w_rel_error", "b", "w"]))
        }
        for names in [["w", "w"], ["w", "w_numeric"], ["status"], ["a b"]] {
            #expect(throws: TrackerError.externalStep(.badParameterName(names.last ?? ""))) {
                try ExternalRun(store: store, setup: setup(names))
            }
        }
        var bad = setup()
        bad.configJSON = "{\"lr\": NaN}"
        #expect(throws: TrackerError.externalStep(.badConfig)) { try ExternalRun(store: store, setup: bad) }
    }
}
