import Foundation
import TestSupport
import Testing

/// The Python client (`clients/python/gradlog_client.py`) driving the built `gradlog log`, as a
/// user's script would: `python3` from PATH (Debian's `/usr/bin/python3` where numpy is needed),
/// the client on PYTHONPATH, each test in a directory and database of its own.
@Suite struct PythonClientTests {
    let directory: TemporaryDirectory
    let database: String

    init() throws {
        directory = try TemporaryDirectory()
        database = directory.file("e2e.db")
    }

    static let client = BinaryRunner.packageRoot.appendingPathComponent("clients/python").path
    static let binaries = URL(fileURLWithPath: BinaryRunner.gradlog).deletingLastPathComponent().path

    /// The environment of a script: the client importable, `gradlog` on PATH unless told otherwise,
    /// and nothing that would make Python unbuffered or point gradlog at another database.
    static func environment(gradlogOnPath: Bool = true) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        for name in ["GRADLOG_DB", "GRADLOG", "PYTHONUNBUFFERED"] { environment.removeValue(forKey: name) }
        let path = environment["PATH"] ?? "/usr/bin:/bin"
        environment["PATH"] = gradlogOnPath ? binaries + ":" + path : path
        environment["PYTHONPATH"] = client
        return environment
    }

    /// Starts `script` with `interpreter` in the test's directory, its output and errors piped.
    func start(_ script: String, _ arguments: [String] = [], interpreter: String = "python3",
               gradlogOnPath: Bool = true, input: Pipe? = nil) throws -> (Process, Pipe, Pipe) {
        let file = directory.file("script-\(UUID().uuidString).py")
        try script.write(toFile: file, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [interpreter, file] + arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory.path)
        process.environment = Self.environment(gradlogOnPath: gradlogOnPath)
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input ?? FileHandle.nullDevice
        try process.run()
        return (process, out, err)
    }

    /// Runs `script` to its end.
    func python(_ script: String, _ arguments: [String] = [], interpreter: String = "python3",
                gradlogOnPath: Bool = true) throws -> BinaryRunner.Output {
        let (process, out, err) = try start(script, arguments, interpreter: interpreter, gradlogOnPath: gradlogOnPath)
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return BinaryRunner.Output(code: process.terminationStatus, out: String(decoding: outData, as: UTF8.self),
                                   err: String(decoding: errData, as: UTF8.self))
    }

    func gradlog(_ arguments: [String]) throws -> BinaryRunner.Output {
        try BinaryRunner.run(BinaryRunner.gradlog, [arguments[0], "--db", database] + arguments.dropFirst())
    }

    func sql(_ query: String) throws -> String {
        let shell = try BinaryRunner.run("sqlite3", ["-readonly", database, query])
        return shell.out + shell.err
    }

    /// The lesson of docs/logging.md, through the client.
    static let lesson = """
        import math
        from gradlog_client import Run

        w, b, x, y, lr, eps = 0.5, -1.0, 2.0, 1.0, 0.1, 1e-6

        def loss(w, b):
            t = w * x + b
            return max(t, 0.0) - t * y + math.log1p(math.exp(-abs(t)))

        with Run(db="e2e.db", name="python", config={"lr": lr, "x": x, "y": y}) as run:
            for step in range(1, 101):
                residual = -1 / (1 + math.exp(w * x + b))
                analytic = {"w": residual * x, "b": residual}
                numeric = {"w": (loss(w + eps, b) - loss(w - eps, b)) / (2 * eps),
                           "b": (loss(w, b + eps) - loss(w, b - eps)) / (2 * eps)}
                run.log(step, loss=loss(w, b), params={"w": w, "b": b}, analytic=analytic, numeric=numeric)
                w, b = w - lr * analytic["w"], b - lr * analytic["b"]
            run.finish(params={"w": w, "b": b})
        """

    /// A PyTorch-style loop in the standard library: mini-batches, epochs, and every 10 steps only
    /// the loss and two validation metrics.
    static let sparseLoop = """
        import math, random
        from gradlog_client import Run

        rng = random.Random(7)
        def sample():
            x1, x2 = rng.uniform(-1, 1), rng.uniform(-1, 1)
            return (x1, x2), int(x1 + 2 * x2 + rng.uniform(-0.5, 0.5) > 0.5)
        train, val = [sample() for _ in range(64)], [sample() for _ in range(32)]
        w, bias, lr, batch_size = [0.0, 0.0], 0.0, 0.5, 8

        def forward(x):
            return 1 / (1 + math.exp(-(w[0] * x[0] + w[1] * x[1] + bias)))

        def bce(p, label):
            return -math.log(p if label else 1 - p)

        with Run(db="e2e.db", name="sparse", config={"lr": lr, "batch_size": batch_size}) as run:
            step = 0
            for epoch in range(1, 26):
                rng.shuffle(train)
                for i in range(0, len(train), batch_size):
                    batch, step = train[i:i + batch_size], step + 1
                    p = [forward(x) for x, _ in batch]
                    loss = sum(bce(p_, t) for p_, (_, t) in zip(p, batch)) / len(batch)
                    grad_w = [sum((p_ - t) * x[k] for p_, (x, t) in zip(p, batch)) / len(batch) for k in (0, 1)]
                    grad_b = sum(p_ - t for p_, (_, t) in zip(p, batch)) / len(batch)
                    w, bias = [w_ - lr * g for w_, g in zip(w, grad_w)], bias - lr * grad_b
                    if step % 10 == 0:
                        pv = [forward(x) for x, _ in val]
                        run.log(step, epoch=epoch, loss=loss, metrics={
                            "val_loss": sum(bce(p_, t) for p_, (_, t) in zip(pv, val)) / len(val),
                            "val_accuracy": sum((p_ > 0.5) == t for p_, (_, t) in zip(pv, val)) / len(val)})
        """

    @Test func theLessonLoggedThroughTheClientEqualsGradlogsOwnRunBitForBit() throws {
        let script = try python(Self.lesson)
        #expect(script.code == 0, "\(script.err)")
        // gradlog's summary goes to the script's standard output.
        #expect(script.out.contains("final_loss       0.020855805835823128\n"), "\(script.out)")
        #expect(try gradlog(["run", "--name", "swift"]).code == 0)
        #expect(try sql("""
            SELECT status, source, step_count FROM runs ORDER BY id;
            SELECT config FROM runs WHERE id = 1;
            SELECT count(*) FROM steps a JOIN steps b ON b.run_id = 2 AND b.step = a.step
             WHERE a.run_id = 1 AND a.epoch = b.epoch AND a.loss = b.loss;
            SELECT count(*) FROM gradients a JOIN gradients b ON b.run_id = 2 AND b.step = a.step AND b.param = a.param
             WHERE a.run_id = 1 AND a.value = b.value AND a.analytic = b.analytic AND a.numeric = b.numeric
               AND a.passed = b.passed;
            SELECT count(*) FROM params a JOIN params b ON b.run_id = 2 AND b.param = a.param
             WHERE a.run_id = 1 AND a.position = b.position AND a.initial = b.initial AND a.final = b.final;
            """) == """
            finished|external|100
            finished|gradlog|100
            {"lr": 0.1, "x": 2.0, "y": 1.0}
            100
            200
            2

            """)
    }

    @Test func aLoopLoggingOnlyLossAndTwoMetricsEveryTenStepsIsReportedComparedAndCharted() throws {
        let script = try python(Self.sparseLoop)
        #expect(script.code == 0, "\(script.err)")
        #expect(try sql("""
            SELECT status, step_count, epoch_count FROM runs;
            SELECT count(*), min(step), max(step), sum(step % 10 = 0), count(DISTINCT epoch) FROM steps;
            SELECT (SELECT count(*) FROM gradients) + (SELECT count(*) FROM params);
            SELECT name, count(value) FROM step_metrics GROUP BY name ORDER BY name;
            """) == "finished|200|25\n20|10|200|20|20\n0\nval_accuracy|20\nval_loss|20\n")
        let steps = try gradlog(["report", "sparse", "--steps", "--csv"])
        #expect(steps.code == 0, "\(steps.err)")
        let lines = steps.out.split(separator: "\r\n")
        #expect(lines.count == 21)
        #expect(lines.first == "step,epoch,batch_size,loss,val_accuracy,val_loss")
        #expect(lines.dropFirst().first?.hasPrefix("10,2,,") == true, "\(steps.out)")
        let epochs = try gradlog(["report", "sparse"])
        #expect(epochs.code == 0, "\(epochs.err)")
        #expect(try gradlog(["run", "--epochs", "30"]).code == 0)
        let compared = try gradlog(["compare", "sparse", "2"])
        #expect(compared.code == 0, "\(compared.err)")
        #expect(compared.out.contains("val_loss"), "\(compared.out)")
        for arguments in [["plot", "sparse"], ["plot", "sparse", "2", "--steps"], ["plot", "sparse", "--log-y"]] {
            let chart = directory.file("chart.svg")
            try? FileManager.default.removeItem(atPath: chart)
            let plot = try gradlog(arguments + ["--output", chart])
            #expect(plot.code == 0, "\(arguments): \(plot.err)")
            let svg = (try? String(contentsOfFile: chart, encoding: .utf8)) ?? ""
            #expect(svg.contains("<svg") && svg.contains("</svg>"), "\(arguments)")
        }
    }

    @Test func stepsReachTheDatabaseWhileTheScriptRunsWithoutPythonsUnbufferedMode() throws {
        let input = Pipe()
        let (process, out, err) = try start("""
            import sys
            from gradlog_client import Run

            with Run(db="e2e.db", name="live") as run:
                for step in range(1, 6):
                    run.log(step, loss=1.0 / step)
                print("logged", flush=True)
                sys.stdin.readline()  # the test reads the database meanwhile
            """, input: input)
        var seen = Data()
        while !String(decoding: seen, as: UTF8.self).contains("logged\n") {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            seen += chunk
        }
        // gradlog commits at least every half second: wait for that, not for the script's end.
        let deadline = Date().addingTimeInterval(10)
        var live = ""
        while Date() < deadline {
            live = try sql("SELECT status, count(step) FROM runs JOIN steps ON run_id = runs.id GROUP BY runs.id")
            if live == "running|5\n" { break }
            Thread.sleep(forTimeInterval: 0.02)
        }
        #expect(live == "running|5\n")
        input.fileHandleForWriting.write(Data("go\n".utf8))
        try input.fileHandleForWriting.close()
        _ = out.fileHandleForReading.readDataToEndOfFile()
        let errors = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(errors)")
        #expect(try sql("SELECT status, step_count FROM runs") == "finished|5\n")
    }

    @Test func ctrlCEndsTheRunInterruptedWithEveryStepTheScriptLogged() throws {
        let script = try python("""
            import os, signal, time
            from gradlog_client import Run

            # As a shell starts a job: SIGINT neither blocked nor ignored (the test runner's children
            # inherit it blocked), and a process group of its own, to which the terminal sends Ctrl-C.
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
            signal.signal(signal.SIGINT, signal.default_int_handler)
            if os.getpgrp() != os.getpid():
                os.setpgid(0, 0)
            with Run(db="e2e.db", name="stopped") as run:
                for step in range(1, 11):
                    run.log(step, loss=1.0 / step, params={"w": step, "b": 0.0})
                    if step == 7:
                        os.killpg(os.getpgrp(), signal.SIGINT)  # what Ctrl-C in the terminal sends
                        time.sleep(30)
            """)
        #expect(script.code != 0, "\(script.err)")
        #expect(script.err.contains("KeyboardInterrupt"), "\(script.err)")
        // The end line said so; gradlog itself did not see the signal.
        #expect(script.err.contains("gradlog log: the input ended run 1 as interrupted\n"), "\(script.err)")
        #expect(try sql("SELECT status, step_count, error IS NULL, (SELECT count(*) FROM steps) FROM runs")
                == "interrupted|7|1|7\n")
    }

    @Test func anExceptionEndsTheRunFailedWithItsMessage() throws {
        let script = try python("""
            from gradlog_client import Run

            with Run(db="e2e.db", name="broken") as run:
                for step in range(10, 40, 10):
                    run.log(step, loss=0.5, metrics={"val_loss": 0.6})
                raise ValueError("the validation set is empty")
            """)
        #expect(script.code == 1)
        #expect(script.err.contains("ValueError: the validation set is empty\n"), "\(script.err)")
        #expect(!script.err.contains("GradlogError"), "\(script.err)")
        #expect(try sql("SELECT status, error, step_count, (SELECT count(*) FROM steps) FROM runs")
                == "failed|ValueError: the validation set is empty|30|3\n")
    }

    @Test func theUserGivenToTheClientIsWhoRanTheRun() throws {
        let script = try python("""
            from gradlog_client import Run

            for user in ["ana", None]:
                with Run(db="e2e.db", user=user) as run:
                    run.log(1, loss=0.5)
            """)
        #expect(script.code == 0, "\(script.err)")
        let users = try sql("SELECT run_by FROM runs ORDER BY id").split(separator: "\n").map(String.init)
        #expect(users.count == 2 && users.first == "ana", "\(users)")
        // Without `user`, gradlog log's own: the environment's USER (else LOGNAME, else the system's).
        let environment = ProcessInfo.processInfo.environment
        if let own = [environment["USER"], environment["LOGNAME"]].compactMap({ $0 }).first(where: { !$0.isEmpty }) {
            #expect(users.last == own)
        }
    }

    @Test func aRefusedLineRaisesGradlogsMessageInTheScript() throws {
        let script = try python("""
            import subprocess
            from gradlog_client import Run, GradlogError

            try:
                with Run(db="e2e.db", name="refused", stdout=subprocess.DEVNULL) as run:
                    run.log(10, loss=0.5)
                    run.log(20, loss=0.4)
                    run.log(20, loss=0.3)
                    # More than a pipe holds: gradlog stopped reading, so some call must raise.
                    for step in range(30, 1000000, 10):
                        run.log(step, loss=0.1, metrics={"val_loss": 0.2})
                print("not raised")
            except GradlogError as error:
                print("%s %d: %s" % (type(error).__name__, error.returncode, error))
                print("raised in the loop:", step < 999990)
            """)
        #expect(script.code == 0, "\(script.err)")
        #expect(script.out == """
            GradlogError 1: line 3: "step" is 20 after step 20; step numbers increase (gaps are fine: 10, 20, 30, ...); \
            run 1 is marked failed, with every step before that line
            raised in the loop: True

            """, "\(script.err)")
        #expect(try sql("SELECT status, step_count FROM runs") == "failed|20\n")
    }

    @Test func theClientFindsGradlogByArgumentThenByItsVariableAndSaysWhenItCannot() throws {
        let script = try python("""
            import os, subprocess, sys
            from gradlog_client import Run, GradlogError

            with Run(gradlog=sys.argv[1], db="a.db", stdout=subprocess.DEVNULL) as run:
                run.log(1, loss=0.5)
            os.environ["GRADLOG"] = sys.argv[1]
            with Run(db="b.db", stdout=subprocess.DEVNULL) as run:
                run.log(1, loss=0.5)
            os.environ["GRADLOG"] = "/nowhere/gradlog"
            try:
                Run(db="c.db")
            except GradlogError as error:
                print(error)
            """, [BinaryRunner.gradlog], gradlogOnPath: false)
        #expect(script.code == 0, "\(script.err)")
        #expect(script.out == "cannot find the gradlog executable '/nowhere/gradlog': pass gradlog=PATH, set $GRADLOG, or put it on PATH\n")
        for file in ["a.db", "b.db"] {
            let shell = try BinaryRunner.run("sqlite3", [directory.file(file), "SELECT status, step_count FROM runs"])
            #expect(shell.out == "finished|1\n", "\(file): \(shell.err)")
        }
        #expect(!FileManager.default.fileExists(atPath: directory.file("c.db")))
    }

    @Test func numpyScalarsNaNAndInfinityAreLoggedAsNumbers() throws {
        // Debian's python3 with its numpy (python3-pandas needs it), installed by scripts/setup.
        let script = try python("""
            import numpy as np
            from gradlog_client import Run

            with Run(db="e2e.db", name="numpy") as run:
                run.log(np.int64(1), epoch=np.int32(1), loss=np.float32(0.5), batch_size=np.int64(4),
                        params={"w": np.float64(0.25), "b": 1}, metrics={"val_loss": float("nan"), "learning_rate": np.float16(0.125)})
                run.log(2, loss=float("inf"), params={"w": np.float32(0.75), "b": np.int16(2)},
                        analytic={"w": np.float64(-1.0), "b": -0.5}, numeric={"w": -1.0, "b": np.float32(-0.5)})
                run.finish(params={"w": np.float64(1.5), "b": None})
            """, interpreter: "/usr/bin/python3")
        #expect(script.code == 0, "\(script.err)")
        #expect(try sql("""
            SELECT step, epoch, batch_size, loss FROM steps ORDER BY step;
            SELECT step, name, value FROM step_metrics ORDER BY name;
            SELECT step, param, value, analytic, numeric, passed FROM gradients ORDER BY step, param;
            SELECT param, initial, final FROM params ORDER BY position;
            """) == """
            1|1|4|0.5
            2|2||Inf
            1|learning_rate|0.125
            1|val_loss|
            1|b|1.0|||
            1|w|0.25|||
            2|b|2.0|-0.5|-0.5|1
            2|w|0.75|-1.0|-1.0|1
            w|0.25|1.5
            b|1.0|

            """)
    }
}

/// A run of the client's sparse loop pushed to a team store and pulled into another file.
@Suite(.enabled(if: PostgresTestServer.shouldRun, Comment(rawValue: PostgresTestServer.skipReason)))
struct PythonClientStoreTests {
    @Test func aSparseRunLoggedByTheClientIsPushedAndPulledUnchanged() throws {
        let test = try PythonClientTests()
        let store = try PostgresTestServer.freshDatabase()
        #expect(try test.python(PythonClientTests.sparseLoop).code == 0)
        #expect(try test.gradlog(["push", store, "--all"]).code == 0)
        let copy = test.directory.file("pulled.db")
        let pull = try BinaryRunner.run(BinaryRunner.gradlog, ["pull", store, "--all", "--db", copy])
        #expect(pull.code == 0, "\(pull.err)")
        let same = try BinaryRunner.run("sqlite3", [copy, """
            ATTACH '\(test.database)' AS original;
            SELECT (SELECT count(*) FROM (SELECT step, epoch, batch_size, loss FROM steps
                                          EXCEPT SELECT step, epoch, batch_size, loss FROM original.steps)),
                   (SELECT count(*) FROM (SELECT step, name, value FROM step_metrics
                                          EXCEPT SELECT step, name, value FROM original.step_metrics)),
                   (SELECT count(*) FROM steps), (SELECT count(*) FROM step_metrics),
                   (SELECT uuid FROM runs) = (SELECT uuid FROM original.runs), (SELECT status FROM runs);
            """])
        #expect(same.out == "0|0|20|40|1|finished\n", "\(same.err)")
    }
}
