import SQLiteDB
import TestSupport
import Testing
@testable import Tracker
@testable import Training

@Suite struct CrashSweepTests {
    /// Inserts a run as `running`, then rewrites who is running it.
    func runningRun(_ store: Store, host: String, pid: Int64?, token: String?, heartbeatAgo seconds: Int) throws -> Int64 {
        var config = TrainingConfig()
        config.epochs = 3
        let trainer = Trainer(dataset: .lesson, config: config)
        let recorder = try RunRecorder(store: store, request: RunRequest(dataset: .lesson, config: config), trainer: trainer)
        try store.db.execute("COMMIT")
        try store.db.run(
            """
            UPDATE runs SET host = ?, pid = ?, process_token = ?,
                heartbeat_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', ?) WHERE id = ?
            """,
            [.text(host), pid.map { .integer($0) } ?? .null, token.map { .text($0) } ?? .null,
             .text("-\(seconds) seconds"), .integer(recorder.runID)])
        return recorder.runID
    }

    func status(_ store: Store, _ id: Int64) throws -> SQLiteValue? {
        try store.db.scalar("SELECT status FROM runs WHERE id = ?", [.integer(id)])
    }

    @Test func aRunWhoseProcessIsGoneIsMarkedCrashed() throws {
        let store = try Store(path: ":memory:")
        let me = ProcessIdentity.current
        let id = try runningRun(store, host: me.host, pid: 999_999_999, token: "gone:1", heartbeatAgo: 0)
        #expect(try CrashSweep.sweep(store.db) == [id])
        #expect(try status(store, id) == "crashed")
        let error = try store.db.scalar("SELECT error FROM runs WHERE id = ?", [.integer(id)])?.stringValue
        #expect(error?.contains("process 999999999") == true)
    }

    @Test func aRunWhoseProcessLivesIsNeverMarkedHoweverOldItsHeartbeat() throws {
        let store = try Store(path: ":memory:")
        let me = ProcessIdentity.current
        let id = try runningRun(store, host: me.host, pid: Int64(me.pid), token: me.token, heartbeatAgo: 3600)
        #expect(try CrashSweep.sweep(store.db).isEmpty)
        #expect(try status(store, id) == "running")
    }

    @Test func aReusedPidDoesNotKeepADeadRunAlive() throws {
        let store = try Store(path: ":memory:")
        let me = ProcessIdentity.current
        let id = try runningRun(store, host: me.host, pid: Int64(me.pid), token: "another-boot:42", heartbeatAgo: 0)
        #expect(try CrashSweep.sweep(store.db) == [id])
    }

    @Test func anotherHostsRunCrashesOnlyOnceItsHeartbeatIsStale() throws {
        let store = try Store(path: ":memory:")
        let fresh = try runningRun(store, host: "elsewhere", pid: 1, token: nil, heartbeatAgo: 5)
        let stale = try runningRun(store, host: "elsewhere", pid: 1, token: nil, heartbeatAgo: 61)
        #expect(try CrashSweep.sweep(store.db) == [stale])
        #expect(try status(store, fresh) == "running")
    }

    /// Logs the first `logged` of `epochs` lesson steps, commits them and makes the run's process
    /// one that is gone, as a kill would leave it; returns the recorder, trainer and last record.
    static func killedLessonRun(in store: Store, epochs: Int, logged: Int) throws -> (RunRecorder, Trainer, StepRecord) {
        var config = TrainingConfig()
        config.epochs = epochs
        var trainer = Trainer(dataset: .lesson, config: config)
        let recorder = try RunRecorder(
            store: store, request: RunRequest(dataset: .lesson, config: config), trainer: trainer, commitInterval: 0)
        var record = StepRecord(parameterCount: 2)
        for _ in 0..<logged {
            _ = trainer.next(into: &record)
            try recorder.log(record, endOfEpoch: trainer.parameters)  // each lesson step is an epoch
        }
        try store.db.execute("COMMIT")  // as the recorder's next commit would have, before the kill
        try store.db.run("UPDATE runs SET pid = 999999999, process_token = 'gone:1'")
        return (recorder, trainer, record)
    }

    @Test func aCrashedRunGetsItsFinalFiguresFromItsLastStep() throws {
        let store = try Store(path: ":memory:")
        let (_, trainer, record) = try Self.killedLessonRun(in: store, epochs: 5, logged: 3)
        try CrashSweep.sweep(store.db)
        let finals = try store.db.rows("SELECT final FROM params ORDER BY position")
        #expect(finals == trainer.parameters.map { [.real($0)] })
        #expect(try store.db.scalar("SELECT step_count FROM runs") == .integer(3))
        #expect(try store.db.scalar("SELECT final_loss FROM runs") == .real(record.loss))
        #expect(try store.db.scalar("SELECT count(*) FROM epochs") == .integer(3))
    }

    @Test(arguments: [[Int](), [3, 2]])
    func aRunKilledInTheMiddleOfAnEpochGetsThatEpochsRowAndStillVerifies(hidden: [Int]) throws {
        let store = try Store(path: ":memory:")
        var config = TrainingConfig()
        config.epochs = 5
        config.batchSize = 2
        config.hidden = hidden
        var trainer = Trainer(dataset: .and, config: config)
        let recorder = try RunRecorder(
            store: store, request: RunRequest(dataset: .and, config: config), trainer: trainer, commitInterval: 0)
        var record = StepRecord(parameterCount: trainer.parameterNames.count)
        for _ in 0..<3 {  // epoch 1 (two steps), then the first step of epoch 2
            _ = trainer.next(into: &record)
            try recorder.log(record, endOfEpoch: trainer.epoch != record.epoch ? trainer.parameters : nil)
        }
        try store.db.execute("COMMIT")
        try store.db.run("UPDATE runs SET pid = 999999999, process_token = 'gone:1'")
        #expect(try store.db.scalar("SELECT count(*) FROM epochs") == .integer(1))
        try CrashSweep.sweep(store.db)
        let rows = try store.db.rows("SELECT epoch, steps, first_step, last_step FROM epochs ORDER BY epoch")
        #expect(rows == [[1, 2, 1, 2], [2, 1, 3, 3]])
        #expect(try store.db.scalar("SELECT final_loss FROM runs") == .real(record.loss))
        let verification = try RunVerifier.verify(recorder.runID, in: store)
        #expect(verification.difference == nil)
        #expect(verification.steps == 3)
    }
}

@Suite struct RunEndingTests {
    @Test func aStopRequestCommitsTheStepAndMarksTheRunInterrupted() throws {
        let store = try Store(path: ":memory:")
        var asked = 0
        let outcome = try RunExecutor.execute(RunRequest(dataset: .lesson, config: TrainingConfig()), in: store) {
            asked += 1
            return asked == 7 ? 15 : nil
        }
        #expect(outcome.status == .interrupted)
        #expect(outcome.signal == 15)
        #expect(outcome.steps == 7)
        let row = try store.db.rows("SELECT status, error, step_count FROM runs")[0]
        #expect(row == ["interrupted", "stopped by SIGTERM after step 7", 7])
        #expect(try store.db.scalar("SELECT count(*) FROM steps") == .integer(7))
    }

    @Test func aFullDiskMarksTheRunFailedWithTheErrorAndKeepsWhatWasCommitted() throws {
        let directory = try TemporaryDirectory()
        let store = try Store(path: directory.file("full.db"))
        let pages = try store.db.scalar("PRAGMA page_count")?.int64Value ?? 0
        try store.db.execute("PRAGMA max_page_count = \(pages + 40)")
        var config = TrainingConfig()
        config.epochs = 100_000
        let error = #expect(throws: TrackerError.self) {
            try RunExecutor.execute(RunRequest(dataset: .lesson, config: config), in: store, commitInterval: 0)
        }
        #expect(error?.isDiskFull == true)
        let row = try store.db.rows("SELECT status, error, step_count FROM runs")[0]
        #expect(row[0] == "failed")
        #expect(row[1].stringValue?.contains("database or disk is full") == true)
        #expect(try store.db.scalar("SELECT count(*) FROM steps") == row[2])
        #expect(try store.db.scalar("PRAGMA integrity_check") == "ok")
    }
}
