import SQLiteDB
import TestSupport
import Testing
@testable import Tracker
@testable import Training

@Suite struct RunRecorderTests {
    /// Trains in memory, without the database, as the oracle for what must have been logged.
    func replay(_ request: RunRequest) -> (Trainer, [StepRecord]) {
        var trainer = Trainer(dataset: request.dataset, config: request.config)
        var record = StepRecord(parameterCount: trainer.parameters.count)
        var records: [StepRecord] = []
        while trainer.next(into: &record) { records.append(record) }
        return (trainer, records)
    }

    func miniBatchAnd() -> RunRequest {
        var config = TrainingConfig()
        config.batchSize = 2
        config.epochs = 7
        config.learningRate = 0.5
        return RunRequest(dataset: .and, config: config, name: "and, batches of 2")
    }

    @Test func everyLoggedValueEqualsTheTrainersBitForBit() throws {
        let store = try Store(path: ":memory:")
        let request = miniBatchAnd()
        let outcome = try RunExecutor.execute(request, in: store)
        let (_, records) = replay(request)
        let steps = try store.db.rows(
            "SELECT step, epoch, batch_size, loss FROM steps WHERE run_id = ? ORDER BY step", [.integer(outcome.runID)])
        // As a REAL column stores them: NaN as NULL, -0.0 as 0.0, every other bit kept.
        func stored(_ x: Double) -> SQLiteValue { x.isNaN ? .null : .real(x + 0.0) }
        #expect(steps == records.map {
            [.integer(Int64($0.step)), .integer(Int64($0.epoch)), .integer(Int64($0.batchSize)), stored($0.loss)]
        })
        let gradients = try store.db.rows(
            """
            SELECT g.value, g.analytic, g.numeric, g.passed, g.abs_error, g.rel_error
            FROM gradients AS g JOIN params AS p ON p.run_id = g.run_id AND p.param = g.param
            WHERE g.run_id = ? ORDER BY g.step, p.position
            """, [.integer(outcome.runID)])
        let expected: [[SQLiteValue]] = records.flatMap { record in
            (0..<3).map { k -> [SQLiteValue] in
                let (a, n) = (record.analytic[k], record.numeric[k])
                return [stored(record.values[k]), stored(a), stored(n), .integer(record.passed[k] ? 1 : 0),
                        stored(GradientCheck.absoluteError(analytic: a, numeric: n)),
                        stored(GradientCheck.relativeError(analytic: a, numeric: n))]
            }
        }
        #expect(gradients == expected)
    }

    @Test func theEpochsViewGivesTheTrainersEndOfEpochParametersAndAccuracy() throws {
        let store = try Store(path: ":memory:")
        let request = miniBatchAnd()
        let outcome = try RunExecutor.execute(request, in: store)
        var trainer = Trainer(dataset: request.dataset, config: request.config)
        var record = StepRecord(parameterCount: 3)
        var expected: [[SQLiteValue]] = []
        var losses: [Double] = []
        while trainer.next(into: &record) {
            losses.append(record.loss)
            guard trainer.epoch > record.epoch else { continue }
            let accuracy = trainer.model.accuracy(trainer.parameters, on: request.dataset)
            let mean = losses.reduce(0, +) / Double(losses.count)
            expected.append([.integer(Int64(record.epoch)), .real(mean)] + trainer.parameters.map { .real($0) }
                + [.real(accuracy)])
            losses = []
        }
        let rows = try store.db.rows(
            """
            SELECT e.epoch, e.mean_loss,
                   (SELECT value FROM epoch_params p WHERE p.run_id = e.run_id AND p.epoch = e.epoch AND p.param = 'w1'),
                   (SELECT value FROM epoch_params p WHERE p.run_id = e.run_id AND p.epoch = e.epoch AND p.param = 'w2'),
                   (SELECT value FROM epoch_params p WHERE p.run_id = e.run_id AND p.epoch = e.epoch AND p.param = 'b'),
                   e.accuracy
            FROM epochs AS e WHERE e.run_id = ? ORDER BY e.epoch
            """, [.integer(outcome.runID)])
        #expect(rows == expected)
        #expect(rows.count == 7)
    }

    @Test func theRunRowHoldsItsConfigAndSummary() throws {
        let store = try Store(path: ":memory:")
        let outcome = try RunExecutor.execute(miniBatchAnd(), in: store)
        let (trainer, records) = replay(miniBatchAnd())
        let row = try store.db.rows(
            """
            SELECT status, dataset, inputs, sample_count, loss, lr, epochs, batch_size, seed, eps, init,
                   step_count, epoch_count, failed_checks, length(uuid), ended_at IS NOT NULL, name
            FROM runs WHERE id = ?
            """, [.integer(outcome.runID)]).first
        #expect(row == ["finished", "and", 2, 4, "stable", 0.5, 7, 2, 42, 1e-6, "random", 14, 7, 0, 36, 1, "and, batches of 2"])
        let finals = try store.db.rows("SELECT final FROM params WHERE run_id = ? ORDER BY position", [.integer(outcome.runID)])
        #expect(finals == trainer.parameters.map { [.real($0)] })
        let lastEpoch = records.suffix(2).map(\.loss)
        #expect(try store.db.scalar("SELECT final_loss FROM runs") == .real((lastEpoch[0] + lastEpoch[1]) / 2))
        let config = try store.db.scalar("SELECT json_extract(config, '$.batch_size') FROM runs")
        #expect(config == .integer(2))
    }

    @Test func theSamplesAreStoredSoTheRunCanBeRebuiltFromTheDatabase() throws {
        let store = try Store(path: ":memory:")
        let data = try CSVDataset.parse("a,b,y\n0.1,-2,1\n3e-5,4,0\n-0.0,1,1\n", source: "gone.csv")
        let outcome = try RunExecutor.execute(RunRequest(dataset: data, config: TrainingConfig()), in: store)
        let labels = try store.db.rows("SELECT y FROM samples WHERE run_id = ? ORDER BY sample", [.integer(outcome.runID)])
        let inputs = try store.db.rows(
            "SELECT x FROM sample_inputs WHERE run_id = ? ORDER BY sample, input", [.integer(outcome.runID)])
        let features = try store.db.rows(
            "SELECT feature FROM params WHERE run_id = ? AND input IS NOT NULL ORDER BY input", [.integer(outcome.runID)])
        let rebuilt = Dataset(
            name: "gone.csv", featureNames: features.map { $0[0].stringValue! },
            inputs: inputs.map { $0[0].doubleValue! }, labels: labels.map { $0[0].doubleValue! })
        #expect(rebuilt == data)  // by IEEE equality: the -0.0 input is stored as 0.0
        #expect(rebuilt.inputs[4].sign == .plus)
        #expect(try RunVerifier.verify(outcome.runID, in: store).difference == nil)
    }

    @Test func aDivergedRunKeepsItsStepsAndSaysWhy() throws {
        let store = try Store(path: ":memory:")
        var config = TrainingConfig()
        config.learningRate = 1e308
        config.loss = .textbook
        let outcome = try RunExecutor.execute(RunRequest(dataset: .and, config: config), in: store)
        #expect(outcome.status == .diverged)
        let row = try store.db.rows("SELECT status, error, step_count FROM runs").first!
        #expect(row[0] == "diverged")
        #expect(row[1].stringValue == outcome.divergence?.description)
        #expect(try store.db.scalar("SELECT count(*) FROM steps") == row[2])
        #expect(row[2].int64Value! >= 1)
    }

    @Test func committedStepsAreVisibleToAnotherConnectionAndAlwaysWhole() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("watch.db")
        let store = try Store(path: path)
        let reader = try Database(path: path, mode: .readOnly)
        var config = TrainingConfig()
        config.epochs = 5
        var trainer = Trainer(dataset: .lesson, config: config)
        let recorder = try RunRecorder(
            store: store, request: RunRequest(dataset: .lesson, config: config), trainer: trainer, commitInterval: 0)
        var record = StepRecord(parameterCount: 2)
        while trainer.next(into: &record) {
            try recorder.log(record, endOfEpoch: trainer.parameters)
            #expect(try reader.scalar("SELECT count(*) FROM steps") == .integer(Int64(record.step)))
            #expect(try reader.scalar("SELECT count(*) FROM gradients") == .integer(Int64(2 * record.step)))
        }
        try recorder.finish(status: .finished, error: nil, parameters: trainer.parameters)
        #expect(try reader.scalar("SELECT status FROM runs") == "finished")
    }

    @Test func theFirstStepIsSeenAtOnceAndTheNextWaitForTheCommitInterval() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("batched.db")
        let store = try Store(path: path)
        let reader = try Database(path: path, mode: .readOnly)
        var trainer = Trainer(dataset: .lesson, config: TrainingConfig())
        let recorder = try RunRecorder(
            store: store, request: RunRequest(dataset: .lesson, config: TrainingConfig()), trainer: trainer,
            commitInterval: 3600)
        var record = StepRecord(parameterCount: 2)
        while trainer.next(into: &record) { try recorder.log(record, endOfEpoch: trainer.parameters) }
        #expect(try reader.scalar("SELECT count(*) FROM steps") == .integer(1))
        #expect(try reader.scalar("SELECT status FROM runs") == "running")
        try recorder.finish(status: .finished, error: nil, parameters: trainer.parameters)
        #expect(try reader.scalar("SELECT count(*) FROM steps") == .integer(100))
    }

    @Test func namesAndTagsAreStoredVerbatim() throws {
        let store = try Store(path: ":memory:")
        let name = "it's \"quoted\"; DROP TABLE runs;\nnext line ✓"
        let request = RunRequest(dataset: .lesson, config: TrainingConfig(), name: name, tags: [("k=1", "v;'2'\n")])
        _ = try RunExecutor.execute(request, in: store)
        #expect(try store.db.scalar("SELECT name FROM runs") == .text(name))
        #expect(try store.db.rows("SELECT key, value FROM tags") == [["k=1", "v;'2'\n"]])
    }

    @Test func anInvalidRequestWritesNothing() throws {
        let store = try Store(path: ":memory:")
        var config = TrainingConfig()
        config.learningRate = -1
        #expect(throws: TrackerError.self) {
            try RunExecutor.execute(RunRequest(dataset: .lesson, config: config), in: store)
        }
        #expect(try store.db.scalar("SELECT count(*) FROM runs") == .integer(0))
    }
}
