import Foundation
import TestSupport
import Testing

/// The built binary, the sqlite3 shell and an independent Python oracle, on real files (each test in
/// a directory of its own, so they run in parallel).
@Suite struct EndToEndTests {
    let directory: TemporaryDirectory
    let database: String

    init() throws {
        directory = try TemporaryDirectory()
        database = directory.file("e2e.db")
    }

    func gradlog(_ arguments: [String]) throws -> BinaryRunner.Output {
        try BinaryRunner.run(BinaryRunner.gradlog, [arguments[0], "--db", database] + arguments.dropFirst())
    }

    @Test func theSQLiteShellReadsTheLessonsNumericGradientWithEveryDigit() throws {
        #expect(try gradlog(["run", "--loss", "textbook", "--epochs", "1"]).code == 0)
        let query = "SELECT printf('%!.17g', numeric), numeric = -1.0000000000842668 FROM gradients "
            + "WHERE step = 1 AND param = 'w'"
        let shell = try BinaryRunner.run("sqlite3", [database, query])
        #expect(shell.out == "-1.0000000000842668|1\n")
    }

    @Test func everyLoggedValueMatchesAnIndependentPythonImplementation() throws {
        let csv = directory.file("data.csv")
        try "a,b,c,y\n1,2,3,1\n-1,0.5,2,0\n0,0,-0.0,1\n2,-3,1e-3,0\n5,5,5,1\n".write(
            toFile: csv, atomically: true, encoding: .utf8)
        let runs: [[String]] = [
            ["run", "--loss", "textbook", "--epochs", "5"],
            ["run"],
            ["run", "--dataset", "and", "--batch-size", "3", "--epochs", "20", "--lr", "0.7"],
            ["run", "--dataset", "xor", "--batch-size", "1", "--seed", "123", "--epochs", "10", "--loss", "textbook"],
            ["run", "--dataset", csv, "--batch-size", "2", "--seed", "7", "--epochs", "30", "--eps", "1e-4"],
            ["run", "--dataset", "or", "--lr", "1e308", "--loss", "textbook"],
        ]
        for arguments in runs { _ = try gradlog(arguments) }
        try FileManager.default.removeItem(atPath: csv)
        let oracle = BinaryRunner.packageRoot.appendingPathComponent("Tests/Oracle/check_run.py").path
        for run in 1...runs.count {
            let report = directory.file("steps-\(run).csv")
            #expect(try gradlog(["report", "\(run)", "--steps", "--csv", "--output", report]).code == 0)
            let check = try BinaryRunner.run("/usr/bin/python3", [oracle, database, "\(run)", report])
            #expect(check.code == 0, "run \(run): \(check.out)\(check.err)")
            #expect(check.out.hasPrefix("ok: "))
        }
    }

    @Test(arguments: ["schema-v1.db", "schema-v3.db"])
    func everyRunOfAnUpgradedOldDatabaseStillMatchesThePythonOracle(fixtureName: String) throws {
        let fixture = BinaryRunner.packageRoot.appendingPathComponent("Tests/Fixtures/\(fixtureName)").path
        try FileManager.default.copyItem(atPath: fixture, toPath: database)
        #expect(try gradlog(["runs"]).code == 0)
        let oracle = BinaryRunner.packageRoot.appendingPathComponent("Tests/Oracle/check_run.py").path
        for run in 1...4 {
            let check = try BinaryRunner.run("/usr/bin/python3", [oracle, database, "\(run)"])
            #expect(check.code == 0, "run \(run): \(check.out)\(check.err)")
        }
    }

    @Test func serveUpgradesAnOlderDatabaseOnceAndItsServerThenReadsItReadOnly() throws {
        let fixture = BinaryRunner.packageRoot.appendingPathComponent("Tests/Fixtures/schema-v3.db").path
        try FileManager.default.copyItem(atPath: fixture, toPath: database)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: BinaryRunner.gradlog)
        process.arguments = ["serve", "--db", database, "--port", "0"]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = Pipe()
        try process.run()
        defer {
            process.terminate()
            process.waitUntilExit()
        }
        // Its first line names the address it listens on, once the database was opened.
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")), let byte = try out.fileHandleForReading.read(upToCount: 1), !byte.isEmpty { line += byte }
        #expect(String(decoding: line, as: UTF8.self).hasPrefix("gradlog serve: http://127.0.0.1:"))
        let version = try BinaryRunner.run("sqlite3", [database, "SELECT max(version) FROM schema_migrations"])
        #expect(Int(version.out.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0 > 3)
    }

    @Test func aDivergedRunReadsAsNullInTheShellAndAsNaNInPandas() throws {
        #expect(try gradlog(["run", "--dataset", "or", "--lr", "1e308", "--loss", "textbook"]).code == 2)  // diverged
        let shell = try BinaryRunner.run("sqlite3", [database, """
            SELECT count(*), count(loss), sum(loss IS NULL), avg(loss) = (SELECT loss FROM steps WHERE step = 1),
                   typeof(max(loss)) FROM steps;
            SELECT epoch, typeof(mean_loss), typeof(worst_rel_error) FROM epochs ORDER BY epoch;
            SELECT typeof(final_loss) FROM runs;
            """])
        #expect(shell.out == "2|1|1|1|real\n1|real|real\n2|null|null\nnull\n", "\(shell.err)")
        // Debian's python3 with its python3-pandas, installed by scripts/setup.
        let pandas = try BinaryRunner.run("/usr/bin/python3", ["-c", """
            import sqlite3, sys, pandas
            con = sqlite3.connect(sys.argv[1])
            steps = pandas.read_sql("SELECT step, loss FROM steps ORDER BY step", con)
            epochs = pandas.read_sql("SELECT * FROM epochs ORDER BY epoch", con)
            finite = con.execute("SELECT avg(loss) FROM steps").fetchone()[0]
            print(steps["loss"].dtype, int(steps["loss"].isna().sum()), steps["loss"].mean() == finite)
            print(epochs["mean_loss"].dtype, epochs["mean_loss"].isna().tolist(), epochs["accuracy"].dtype)
            """, database])
        #expect(pandas.out == "float64 1 True\nfloat64 [False, True] float64\n", "\(pandas.err)")
    }

    @Test func aProducerKilledMidStreamLeavesAnInterruptedRunWithEveryStepItWrote() throws {
        let producer = directory.file("producer.py")
        try """
            import os, sys
            for step in range(1, 6):
                print('{"step": %d, "loss": 0.5, "params": {"w": %d, "b": 0}}' % (step, step))
            sys.stdout.flush()
            os.kill(os.getpid(), 9)
            """.write(toFile: producer, atomically: true, encoding: .utf8)
        let pipeline = "python3 '\(producer)' | '\(BinaryRunner.gradlog)' log --db '\(database)' --name killed"
        let result = try BinaryRunner.run("/bin/sh", ["-c", pipeline])
        #expect(result.code == 1)
        #expect(result.err.contains("without an end line"))
        let shell = try BinaryRunner.run("sqlite3", [database, "SELECT status, step_count, source FROM runs"])
        #expect(shell.out == "interrupted|5|external\n")
        #expect(try gradlog(["report", "killed", "--steps", "--csv"]).out.split(separator: "\r\n").count == 6)
    }

    @Test func jsonAndCSVReportsReadBackToTheSameDoublesInPython() throws {
        _ = try gradlog(["run", "--dataset", "or", "--epochs", "50", "--batch-size", "2"])
        let csv = directory.file("epochs.csv")
        let json = directory.file("epochs.json")
        _ = try gradlog(["report", "1", "--csv", "--output", csv])
        _ = try gradlog(["report", "1", "--json", "--output", json])
        let script = """
            import csv, json, sqlite3, sys
            rows = list(csv.DictReader(open(sys.argv[1], newline='')))
            objects = json.load(open(sys.argv[2]))
            db = sqlite3.connect(sys.argv[3])
            losses = [r[0] for r in db.execute('SELECT mean_loss FROM epochs WHERE run_id = 1 ORDER BY epoch')]
            assert len(rows) == len(objects) == len(losses) == 50, (len(rows), len(objects), len(losses))
            for row, obj, loss in zip(rows, objects, losses):
                assert float(row['mean_loss']) == obj['mean_loss'] == loss, (row, obj, loss)
                for key in ('w1', 'w2', 'b', 'worst_rel_error', 'accuracy'):
                    assert float(row[key]) == obj[key], (key, row, obj)
            print('same')
            """
        let check = try BinaryRunner.run("/usr/bin/python3", ["-c", script, csv, json, database])
        #expect(check.out == "same\n", "\(check.err)")
    }

    @Test func aCopiedBinaryCreatesItsDatabaseInAnEmptyDirectory() throws {
        let empty = directory.file("elsewhere")
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        let copy = empty + "/gradlog"
        try FileManager.default.copyItem(atPath: BinaryRunner.gradlog, toPath: copy)
        let run = try BinaryRunner.run(copy, ["run", "--epochs", "3"], in: empty)
        #expect(run.code == 0, "\(run.err)")
        #expect(FileManager.default.fileExists(atPath: empty + "/gradlog.db"))
        let report = try BinaryRunner.run(copy, ["report", "latest", "--csv"], in: empty)
        #expect(report.out.split(separator: "\r\n").count == 4)
    }

    @Test func aFullDiskOnStandardOutputIsAnErrorAndAClosedPipeIsQuiet() throws {
        // 2,000 steps: a CSV of some 500 KB, eight times what a pipe holds, so the reader's end closes first.
        #expect(try gradlog(["run", "--epochs", "2000"]).code == 0)
        let report = "'\(BinaryRunner.gradlog)' report 1 --steps --csv --db '\(database)'"
        let full = try BinaryRunner.run("bash", ["-c", "\(report) > /dev/full"])
        #expect(full.code == 1)
        #expect(full.err == "Error: cannot write to standard output: No space left on device\n")
        for ignoring in ["", "trap '' PIPE; "] {  // SIGPIPE at its default, and ignored (then EPIPE)
            let piped = try BinaryRunner.run("bash", ["-c", "\(ignoring)\(report) | head -1 > /dev/null; echo ${PIPESTATUS[0]}"])
            #expect(piped.out == "141\n", "\(ignoring)")
            #expect(piped.err.isEmpty, "\(piped.err)")
        }
    }

    @Test func dataGoesToStandardOutputAndErrorsToStandardError() throws {
        _ = try gradlog(["run", "--epochs", "1"])
        let missing = try gradlog(["report", "7"])
        #expect(missing.code == 1)
        #expect(missing.out.isEmpty)
        #expect(missing.err.contains("no run with id 7"))
        let diverged = try gradlog(["run", "--dataset", "and", "--lr", "1e308", "--loss", "textbook"])
        #expect(diverged.code == 2)
        #expect(diverged.out.contains("diverged"))
        #expect(diverged.err.contains("diverged"))
    }
}

/// The benchmark at a tiny size: it must still run and print every figure (its timings are not checked).
@Suite struct BenchmarkSmokeTests {
    /// The benchmark's run, started while the run is prepared (see `EarlyStart`): some seconds of
    /// `gradlog` processes it starts one after another.
    static let benchmark = EarlyStart {
        let directory = try TemporaryDirectory()
        let bench = URL(fileURLWithPath: BinaryRunner.gradlog).deletingLastPathComponent()
            .appendingPathComponent("gradlog-bench").path
        return try BinaryRunner.run(
            bench, ["--steps", "100", "--repeats", "1", "--floor-steps", "300", "--wide-epochs", "2",
                    "--log-steps", "300", "--metrics-log-steps", "300", "--parameters-log-steps", "3", "--wide-log-steps", "1",
                    "--wide-log-parameters", "100,1000", "--memory-steps", "300", "--memory-small-steps", "30",
                    "--directory", directory.path,
                    "--gradlog", BinaryRunner.gradlog])
    }

    @Test(.startsEarly(BenchmarkSmokeTests.benchmark))
    func theBenchmarkRunsAtASmallSizeAndPrintsEveryFigure() async throws {
        let result = try await Self.benchmark.value()
        #expect(result.code == 0, "\(result.err)")
        let lines = result.out.split(separator: "\n")
        // One line per workload and size (one size here).
        #expect(lines.filter { $0.contains("lesson") && $0.contains("x") }.count == 1)
        #expect(lines.filter { $0.contains("and/2") }.count == 1)
        #expect(lines.filter { $0.contains("xor/h4") }.count == 1)
        #expect(result.out.contains("gradlog/floor"))
        #expect(result.out.contains("per-epoch"))
        #expect(result.out.contains("--steps"))
        #expect(result.out.contains("Swift path: gradlog / C on the same schema"))
        #expect(result.out.contains("569 samples x 30 features"))
        #expect(result.out.contains("gradlog log reading the lesson's 300 steps"))
        #expect(lines.filter { $0.contains(" parameters ") && $0.contains("rows/s") }.count == 2)
        // The metrics-only steps against C: five rows a step, the same rows as C's, and the ratio.
        #expect(result.out.contains("gradlog log of 300 steps of a loss and 3 metrics"))
        #expect(result.out.contains("rows/step 5.00: steps 1.00, step_metrics 3.00, epochs 1.00; C's rows are gradlog's"))
        #expect(result.out.contains("metrics: gradlog log / C floor"))
        // 1,000 parameters a step against gradlog run of as many rows.
        #expect(result.out.contains("gradlog log of 3 steps of 1,000 parameters and a loss"))
        #expect(lines.contains { $0.contains("rows/step: log") && $0.contains("(gradients 1000 a step)") })
        #expect(result.out.contains("1,000 parameters: gradlog log / gradlog run"))
        // One memory line per format: table, CSV, TSV, JSON, JSON Lines, Markdown.
        #expect(lines.filter { $0.contains("report 1 --steps") }.count == 6)
    }
}

/// A report's SQL piped into the sqlite3 shell, as the README shows: gradlog's close must never
/// take a lock that the shell, starting to read at that moment, would find held.
@Suite struct ShellPipeTests {
    @Test func reportSQLPipedIntoTheSQLiteShellNeverFindsTheDatabaseLocked() throws {
        let directory = try TemporaryDirectory()
        let database = directory.file("pipe.db")
        #expect(try BinaryRunner.run(BinaryRunner.gradlog, ["run", "--db", database, "--epochs", "3"]).code == 0)
        for _ in 0..<30 {
            let piped = try BinaryRunner.run("sh", ["-c", "'\(BinaryRunner.gradlog)' report 1 --sql --db '\(database)' "
                + "| sqlite3 -header -csv '\(database)'"])
            #expect(piped.out.hasPrefix("epoch,steps,mean_loss") && piped.err.isEmpty, "\(piped.err)")
        }
    }
}

/// Charts are the same bytes in every process and on every machine: two processes of the built
/// binary draw them, and both must equal the files in Tests/Fixtures/golden. After a deliberate
/// change to the charts, `GRADLOG_UPDATE_GOLDEN=1 swift test --filter GoldenChartTests` rewrites them.
@Suite struct GoldenChartTests {
    static let golden = BinaryRunner.packageRoot.appendingPathComponent("Tests/Fixtures/golden")

    @Test func twoProcessesDrawTheGoldenBytes() throws {
        let directory = try TemporaryDirectory()
        let database = directory.file("charts.db")
        for arguments in [["run", "--epochs", "50"], ["run", "--dataset", "xor", "--hidden", "3", "--epochs", "40", "--seed", "7"]] {
            #expect(try BinaryRunner.run(BinaryRunner.gradlog, arguments + ["--db", database]).code == 0)
        }
        for (name, arguments) in [("loss-lesson-and-xor.svg", ["plot", "1", "2"]),
                                  ("params-xor-steps-log.svg", ["plot", "2", "--chart", "params", "--steps", "--log-y"])] {
            let first = try BinaryRunner.run(BinaryRunner.gradlog, arguments + ["--db", database]).out
            let second = try BinaryRunner.run(BinaryRunner.gradlog, arguments + ["--db", database]).out
            #expect(first == second && first.hasSuffix("</svg>\n"), "\(name)")
            let file = Self.golden.appendingPathComponent(name)
            if ProcessInfo.processInfo.environment["GRADLOG_UPDATE_GOLDEN"] == "1" {
                try first.write(to: file, atomically: true, encoding: .utf8)
            }
            #expect(first == (try String(contentsOf: file, encoding: .utf8)),
                    "\(name) differs from Tests/Fixtures/golden; if the change is meant, see GoldenChartTests")
        }
    }
}
