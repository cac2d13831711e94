import Foundation
import SQLiteDB
import TestSupport
import Testing
@testable import Tracker
@testable import Training

@Suite struct VerifyTests {
    func run(_ store: Store, _ data: Dataset = .lesson, _ configure: (inout TrainingConfig) -> Void = { _ in }) throws -> Int64 {
        var config = TrainingConfig()
        config.epochs = 20
        configure(&config)
        return try RunExecutor.execute(RunRequest(dataset: data, config: config), in: store).runID
    }

    @Test func freshRunsOfEveryKindVerify() throws {
        let store = try Store(path: ":memory:")
        let csv = try CSVDataset.parse("a,b,y\n1,2,1\n-1,0.5,0\n0,-0.0,1\n3,1,0\n", source: "deleted.csv")
        let ids = [
            try run(store),
            try run(store) { $0.loss = .textbook },
            try run(store, .and),
            try run(store, .xor) { $0.batchSize = 1; $0.seed = 77 },
            try run(store, csv) { $0.batchSize = 3; $0.seed = 5 },
            try run(store, .or) { $0.learningRate = 1e308; $0.loss = .textbook },
        ]
        for id in ids {
            let result = try RunVerifier.verify(id, in: store)
            #expect(result.difference == nil, "run \(id): \(String(describing: result.difference))")
            #expect(result.steps > 0 && result.values > 4 * result.steps)
        }
        #expect(try store.db.scalar("SELECT status FROM runs WHERE id = ?", [.integer(ids[5])]) == "diverged")
    }

    // Read in several snapshots, the run's row, read again at the end, was gone when `rm` ran at
    // the same time: "different at column runs.step_count: logged NULL".
    @Test func aRunDeletedWhileItIsVerifiedIsVerifiedAsItWasWhenVerifyBegan() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("deleted.db")
        let store = try Store(path: path)
        let id = try run(store) { $0.epochs = 200 }
        let remover = try Store(path: path)
        var removed = false
        store.db.onProgress(every: 1_000) {
            guard !removed else { return }
            removed = (try? RunEditor(store: remover).remove([id], dryRun: false)) != nil
        }
        let result = try RunVerifier.verify(id, in: store)
        store.db.onProgress(every: 0, nil)
        #expect(removed)
        #expect(result.difference == nil && result.steps == 200)
        let again = #expect(throws: TrackerError.self) { try RunVerifier.verify(id, in: store) }
        #expect(again == .runNotFound(String(id)))
    }

    @Test func anInterruptedRunVerifiesOverTheStepsItKept() throws {
        let store = try Store(path: ":memory:")
        var calls = 0
        let outcome = try RunExecutor.execute(RunRequest(dataset: .and, config: TrainingConfig()), in: store) {
            calls += 1
            return calls == 9 ? 2 : nil
        }
        let result = try RunVerifier.verify(outcome.runID, in: store)
        #expect(result.difference == nil)
        #expect(result.steps == 9)
    }

    @Test(arguments: [
        ("UPDATE gradients SET numeric = numeric + 1e-15 WHERE step = 7 AND param = 'w'", 7, "w", "numeric"),
        ("UPDATE gradients SET value = -0.0 WHERE step = 1 AND param = 'w' AND 0", nil, nil, ""),
        ("UPDATE steps SET loss = loss * 1.0000000000000002 WHERE step = 3", 3, nil, "loss"),
        ("UPDATE gradients SET passed = 0 WHERE step = 12 AND param = 'b'", 12, "b", "passed"),
        ("UPDATE steps SET epoch = 99 WHERE step = 4", 4, nil, "epoch"),
        ("DELETE FROM gradients WHERE step = 5 AND param = 'b'", 5, nil, "param"),
        ("UPDATE params SET final = 0.5 WHERE param = 'b'", nil, "b", "final"),
        ("DELETE FROM steps WHERE step = 20", 20, nil, "step"),
        ("UPDATE epochs SET accuracy = 0.5 WHERE epoch = 6", 6, nil, "epochs.accuracy"),
        ("UPDATE epochs SET mean_loss = mean_loss * 1.0000000000000002 WHERE epoch = 2", 2, nil, "epochs.mean_loss"),
        ("UPDATE epochs SET worst_rel_error = NULL WHERE epoch = 9", 9, nil, "epochs.worst_rel_error"),
        ("DELETE FROM epochs WHERE epoch = 11", 11, nil, "epochs.epoch"),
        ("DELETE FROM epochs WHERE epoch = 20", 20, nil, "epochs"),
        ("INSERT INTO epochs(run_id, epoch, steps, last_step, failed_checks) VALUES (1, 21, 1, 21, 0)", nil, nil, "epochs"),
        ("UPDATE runs SET final_loss = 5", nil, nil, "runs.final_loss"),
        ("UPDATE runs SET worst_rel_error = worst_rel_error * 2", nil, nil, "runs.worst_rel_error"),
        ("UPDATE runs SET failed_checks = 3", nil, nil, "runs.failed_checks"),
    ] as [(String, Int?, String?, String)])
    func aHandEditedValueIsCaughtAtItsStepAndColumn(edit: String, step: Int?, param: String?, column: String) throws {
        let store = try Store(path: ":memory:")
        let id = try run(store)
        try store.db.execute(edit)
        let difference = try RunVerifier.verify(id, in: store).difference
        if column.isEmpty {
            #expect(difference == nil)
        } else {
            #expect(difference?.step == step)
            #expect(difference?.param == param)
            #expect(difference?.column == column)
        }
    }

    @Test func verifyComparesByIEEEEqualityWithNaNEqualToNaN() throws {
        let store = try Store(path: ":memory:")
        let id = try run(store) { $0.weights = [0.0]; $0.bias = 0.0 }
        try store.db.execute("UPDATE gradients SET value = NULL WHERE step = 1 AND param = 'w'")
        #expect(try RunVerifier.verify(id, in: store).difference?.column == "value")
        let zero = try run(store) { $0.weights = [0.0]; $0.bias = 0.0 }
        // A REAL column keeps no sign of zero: -0.0 is stored as 0.0, and 0.0 is what was computed.
        try store.db.run("UPDATE gradients SET value = ? WHERE run_id = ? AND step = 1 AND param = 'w'",
                         [.real(-0.0), .integer(zero)])
        #expect(try store.db.scalar("SELECT value FROM gradients WHERE run_id = ? AND step = 1 AND param = 'w'",
                                    [.integer(zero)])?.doubleValue?.sign == .plus)
        #expect(try RunVerifier.verify(zero, in: store).difference == nil)
        let diverged = try run(store, .or) { $0.learningRate = 1e308; $0.loss = .textbook }
        #expect(try store.db.scalar("SELECT count(*) FROM steps WHERE run_id = ? AND loss IS NULL", [.integer(diverged)])
                == .integer(1))
        #expect(try RunVerifier.verify(diverged, in: store).difference == nil)
        try store.db.run("UPDATE steps SET loss = 0.5 WHERE run_id = ? AND loss IS NULL", [.integer(diverged)])
        #expect(try RunVerifier.verify(diverged, in: store).difference?.column == "loss")
    }

    @Test func theSameConfigTwiceGivesBitIdenticalRowsComparedInSQL() throws {
        let store = try Store(path: ":memory:")
        let first = try run(store, .and) { $0.batchSize = 2; $0.epochs = 50 }
        let second = try run(store, .and) { $0.batchSize = 2; $0.epochs = 50 }
        let differing = try store.db.scalar(
            """
            SELECT count(*) FROM gradients AS a
            LEFT JOIN gradients AS b ON b.run_id = ?2 AND b.step = a.step AND b.param = a.param
            WHERE a.run_id = ?1 AND (b.step IS NULL OR a.value IS NOT b.value OR a.analytic IS NOT b.analytic
                  OR a.numeric IS NOT b.numeric OR a.passed IS NOT b.passed
                  OR typeof(a.value) IS NOT typeof(b.value) OR typeof(a.numeric) IS NOT typeof(b.numeric))
            """, [.integer(first), .integer(second)])
        #expect(differing == .integer(0))
        let steps = try store.db.scalar(
            """
            SELECT count(*) FROM steps AS a LEFT JOIN steps AS b ON b.run_id = ?2 AND b.step = a.step
            WHERE a.run_id = ?1 AND (b.step IS NULL OR a.epoch IS NOT b.epoch OR a.loss IS NOT b.loss)
            """, [.integer(first), .integer(second)])
        #expect(steps == .integer(0))
        let bits = { (id: Int64) throws -> [[SQLiteValue]] in
            try store.db.rows("SELECT step, param, value, analytic, numeric FROM gradients WHERE run_id = ? ORDER BY step, param",
                              [.integer(id)])
        }
        #expect(try bits(first) == (try bits(second)))
    }
}

@Suite struct ProvenanceTests {
    @Test func sha256MatchesTheStandardVectors() {
        for (text, digest) in [
            ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
            ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
            (String(repeating: "a", count: 1000), "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3"),
        ] {
            var hash = SHA256()
            hash.update(Array(text.utf8))
            #expect(hash.hexDigest() == digest)
        }
    }

    @Test func everyRunRecordsWhereAndHowItWasMade() throws {
        let store = try Store(path: ":memory:")
        let request = RunRequest(
            dataset: .lesson, config: TrainingConfig(),
            provenance: Provenance(commandLine: ["gradlog", "run", "--name", "a \"b\""], workingDirectory: "/tmp/x y"))
        let id = try RunExecutor.execute(request, in: store).runID
        let row = try store.db.rows(
            """
            SELECT samples_sha256, command_line, working_directory, host = ?, pid = ?, os LIKE '% %', length(arch) > 0,
                   swift_version LIKE '6.%', typeof(duration_seconds), gradlog_version
            FROM runs WHERE id = ?
            """, [.text(ProcessIdentity.current.host), .integer(Int64(ProcessIdentity.current.pid)), .integer(id)])[0]
        #expect(row[0] == "c842ab7cdc458e6cbffc7badbfd5a964b97139955d0c48ea5797061380dad0cf")  // sha256 of 2.0, 1.0
        #expect(row[1] == #"["gradlog","run","--name","a \"b\""]"#)
        #expect(row[2] == "/tmp/x y")
        #expect(Array(row[3...7]) == [1, 1, 1, 1, 1])
        #expect(row[8] == "real")
        #expect(row[9] == .text(GradlogVersion.current))
    }
}
