import Foundation
import GradlogCLI
import SQLiteDB
import TestSupport
import Testing
import Tracker
import Training
@testable import Output

/// `gradlog log`: JSON Lines from someone else's training code, logged as gradlog logs its own.
@Suite struct LogCommandTests {
    /// A number as JSON writers print it (Swift's shortest round-trip form; null for NaN).
    static func json(_ x: Double) -> String {
        x.isNaN ? "null" : x == .infinity ? "Infinity" : x == -.infinity ? "-Infinity" : "\(x)"
    }

    static func object(_ names: [String], _ values: [Double]) -> String {
        "{" + zip(names, values).map { "\"\($0)\": \(json($1))" }.joined(separator: ", ") + "}"
    }

    /// The lines of a run of gradlog's own trainer, as an outside program would write them.
    static func lines(of config: TrainingConfig, dataset: Dataset = .lesson, end: Bool = true) -> [String] {
        var trainer = Trainer(dataset: dataset, config: config)
        var record = StepRecord(parameterCount: trainer.parameterNames.count)
        let names = trainer.parameterNames
        var lines: [String] = []
        while trainer.next(into: &record) {
            lines.append("{\"step\": \(record.step), \"epoch\": \(record.epoch), \"loss\": \(json(record.loss)), "
                + "\"batch_size\": \(record.batchSize), \"params\": \(object(names, record.values)), "
                + "\"analytic\": \(object(names, record.analytic)), \"numeric\": \(object(names, record.numeric))}")
        }
        if end { lines.append("{\"end\": \"finished\", \"params\": \(object(names, trainer.parameters))}") }
        return lines
    }

    func rows(_ db: Database, _ sql: String, run: Int64) throws -> [[SQLiteValue]] {
        try db.rows(sql, [.integer(run)])
    }

    @Test func aLoggedRunHoldsTheSameRowsAsGradlogRunTrainingTheSameSteps() throws {
        let cli = try CLIHarness()
        var config = TrainingConfig()
        config.epochs = 7
        config.batchSize = 2
        let logged = cli.run(["log", "--name", "outside"], input: Self.lines(of: config, dataset: .and).joined(separator: "\n"))
        #expect(logged.code == 0, "\(logged.err)")
        #expect(cli.run(["run", "--dataset", "and", "--epochs", "7", "--batch-size", "2"]).code == 0)
        let db = try Database(path: cli.database)
        for sql in [
            "SELECT step, epoch, batch_size, loss FROM steps WHERE run_id = ? ORDER BY step",
            "SELECT step, param, value, analytic, numeric, passed, abs_error, rel_error FROM gradients WHERE run_id = ? ORDER BY step, param",
            "SELECT epoch, steps, last_step, mean_loss, worst_abs_error, worst_rel_error, failed_checks FROM epochs WHERE run_id = ? ORDER BY epoch",
            "SELECT param, position, initial, final FROM params WHERE run_id = ? ORDER BY position",
            "SELECT * FROM gradient_blocks WHERE run_id = ? ORDER BY block, param",
        ] {
            let outside = try rows(db, sql, run: 1)
            // The blocks' first column is the run's id.
            let own = try rows(db, sql, run: 2).map { sql.contains("gradient_blocks") ? [.integer(1)] + $0.dropFirst() : $0 }
            #expect(!outside.isEmpty)
            #expect(outside == own, "\(sql)")
        }
        let run = try db.namedRows("SELECT source, status, lr, dataset, step_count, epoch_count, failed_checks FROM runs WHERE id = 1")[0]
        let (source, status, lr, dataset): (String, String, Double?, String?) =
            try (run["source"], run["status"], run["lr"], run["dataset"])
        #expect(source == "external" && status == "finished" && lr == nil && dataset == nil)
        let (steps, epochs): (Int64, Int64) = try (run["step_count"], run["epoch_count"])
        #expect(steps == 14 && epochs == 7, "\(run)")
        // Accuracy needs the samples, which a run logged from outside does not have.
        #expect(try db.scalar("SELECT count(accuracy) FROM epochs WHERE run_id = 1") == .integer(0))
    }

    @Test func aConfigLineIsStoredAndMetricsAppearInTheStepReportAndInCompare() throws {
        let cli = try CLIHarness()
        let input = """
            {"config": {"optimizer": "sgd", "lr": 0.5}}
            {"step": 1, "loss": 0.7, "params": {"w": 1, "b": 0}, "metrics": {"val_loss": 0.75, "lr": 0.5}}

            {"step": 2, "loss": null, "params": {"b": 0.1, "w": NaN}, "metrics": {"val_loss": Infinity}}
            {"end": "finished"}
            """
        #expect(cli.run(["log"], input: input).code == 0)
        let db = try Database(path: cli.database)
        #expect(try db.scalar("SELECT config FROM runs") == "{\"optimizer\": \"sgd\", \"lr\": 0.5}")
        #expect(try db.rows("SELECT value FROM gradients WHERE param = 'w' ORDER BY step") == [[1.0], [.null]])
        let report = cli.run(["report", "1", "--steps", "--csv"])
        let lines = report.out.split(separator: "\r\n")  // CSV ends its records with CRLF
        #expect(lines.first?.hasSuffix(",b_passed,lr,val_loss") == true, "\(report.out)")
        #expect(lines.last?.hasSuffix(",,inf") == true, "\(report.out)")
        let compare = cli.run(["compare", "1", "1", "--csv"])
        #expect(compare.out.contains("val_loss,1,0.75,0.75"))
    }

    @Test func aLineMayGiveSomeParametersANewOneAtAnyStepAndGradientsInAnyOrder() throws {
        let cli = try CLIHarness()
        let lines = [
            #"{"step": 1, "loss": 0.9}"#,
            #"{"step": 2, "loss": 0.8, "params": {"w": 0.5}}"#,
            #"{"step": 3, "loss": 0.7, "params": {"b": -1, "w": 0.6}, "numeric": {"w": 0.1, "b": 0.2}, "analytic": {"b": 0.2, "w": 0.1}}"#,
            #"{"step": 4, "loss": 0.6, "params": {"b": -0.9}}"#,
            #"{"end": "finished", "params": {"w": 0.8}}"#,
        ]
        let logged = cli.run(["log"], input: lines.joined(separator: "\n") + "\n")
        #expect(logged.code == 0, "\(logged.err)")
        let db = try Database(path: cli.database)
        #expect(try db.rows("SELECT param, position, initial, final FROM params ORDER BY position") == [["w", 0, 0.5, 0.8], ["b", 1, -1.0, .null]])
        #expect(try db.rows("SELECT step, param, value, analytic, numeric, passed FROM gradients ORDER BY step, param") == [
            [2, "w", 0.5, .null, .null, .null], [3, "b", -1.0, 0.2, 0.2, 1], [3, "w", 0.6, 0.1, 0.1, 1], [4, "b", -0.9, .null, .null, .null],
        ])
        let report = cli.run(["report", "1", "--steps", "--csv"])
        let table = report.out.split(separator: "\r\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        let picked = table.map { row in ["step", "w", "b"].map { row[table[0].firstIndex(of: Substring($0))!] } }
        #expect(picked == [["step", "w", "b"], ["1", "", ""], ["2", "0.5", ""], ["3", "0.6", "-1.0"], ["4", "", "-0.9"]], "\(report.out)")
        let other = try CLIHarness()
        #expect(other.run(["merge", cli.database]).code == 0)
        #expect(try Database(path: other.database).rows("SELECT * FROM gradient_blocks ORDER BY param")
            == db.rows("SELECT * FROM gradient_blocks ORDER BY param"))
    }

    /// Lines that break the format, the line named, and a part of the message.
    static let badInputs: [(input: [String], line: Int, message: String)] = [
        (["{\"step\": 1, \"params\": {\"w\": 1}}", "not json"], 2, "the line is not a JSON object: 'not json'; a program logging through gradlog log writes only JSON Lines"),
        (["{\"step\": 1, \"params\": {\"w\": 1}}", "{\"params\": {\"w\": 2}}"], 2, "a step needs \"step\" and a \"loss\""),
        (["{\"step\": 1, \"params\": {\"w\": 1}}", "{\"step\": 2}"], 2, "the step logs nothing"),
        (["{\"step\": 1, \"loss\": 1}", "{\"step\": 2, \"params\": {\"w\": null}}"], 2, "not finite (null, NaN or ±Infinity) at the first step that gives it"),
        (["{\"step\": 1, \"params\": {\"w\": 1}}", "{\"step\": 2, \"loss\": 1, \"analytic\": {\"w\": 2}}"], 2, "\"analytic\" without \"params\""),
        (["{\"step\": 1, \"params\": {\"w\": 1}}", "{\"step\": 2, \"params\": {\"w\": 2}, \"analytic\": {\"v\": 1}}"], 2,
         "\"analytic\" names other parameters than \"params\""),
        (["{\"step\": 1, \"params\": {\"w\": 1, \"b\": 0}}", "{\"end\": \"finished\", \"params\": {\"v\": 2}}"], 2,
         "a final value for parameter 'v', which no step gave a value of"),
        (["{\"step\": 1, \"params\": {\"w\": 1}}", "{\"step\": 1, \"params\": {\"w\": 2}}"], 2, "\"step\" is 1 after step 1"),
        (["{\"step\": 3, \"params\": {\"w\": 1}}", "{\"step\": 2, \"params\": {\"w\": 2}}"], 2, "step numbers increase"),
        (["{\"step\": 1, \"params\": {\"w\": 1}}", "{\"step\": 1.5, \"params\": {\"w\": 2}}"], 2, "must be written as a whole number"),
        (["{\"step\": 1, \"epoch\": 5, \"params\": {\"w\": 1}}", "{\"step\": 2, \"params\": {\"w\": 2}}"], 2,
         "the step has no \"epoch\", so its epoch is its step number, 2, after epoch 5"),
        (["{\"step\": 1, \"params\": {\"w\": 1}}", "{\"step\": 2, \"epoch\": 0, \"params\": {\"w\": 2}}"], 2, "\"epoch\" is 0, after epoch 1"),
        (["{\"step\": 1, \"params\": {\"w\": 1}}", "{\"step\": 2, \"params\": {\"w\": 2}, \"error\": \"x\"}"], 2, "\"error\" belongs on an end line"),
        (["{\"step\": 1, \"params\": {\"w\": 1}}", "{\"step\": 2, \"params\": {\"w\": 2}, \"metrics\": {\"m\": 1, \"m\": 2}}"], 2, "gives 'm' twice"),
        (["{\"step\": 1, \"params\": {\"w\": 1}}", "{\"end\": \"finished\", \"error\": \"x\"}"], 2, "a finished run has no \"error\""),
        (["{\"step\": 1, \"params\": {\"w\": 1}}", "{\"step\": 2, \"params\": {\"w\": 2}, \"lr\": 1}"], 2, "unknown key 'lr'"),
        (["{\"step\": 1, \"params\": {\"w\": 1}}", "{\"config\": {}}"], 2, "a config line must be the first line"),
        (["{\"step\": 1, \"params\": {\"w\": 1}}", "{\"end\": \"finished\"}", "{\"step\": 2, \"params\": {\"w\": 2}}"], 3, "after the end line"),
        (["{\"step\": 1, \"params\": {\"w\": 1}}", "{\"end\": \"done\"}"], 2, "an end line is"),
        (["{\"step\": 1, \"params\": {\"w\": 1}}", "{\"step\": 2, \"params\": {\"w\": 2, \"w\": 3}}"], 2, "gives 'w' twice"),
        (["{\"step\": 1, \"params\": {\"w\": 1}}", "{\"step\": 2, \"params\": {\"w\": 2}, \"metrics\": {\"loss\": 1}}"], 2, "metric name 'loss'"),
        (["{\"step\": 1, \"params\": {\"w\": 1}}", "{\"step\": 2, \"params\": {\"w\": 2}} trailing"], 2, "end of the line"),
    ]

    @Test(arguments: badInputs.indices)
    func aBadLineStopsTheRunNamingTheLineAndKeepsEveryEarlierStep(case index: Int) throws {
        let (input, line, message) = Self.badInputs[index]
        let cli = try CLIHarness()
        let result = cli.run(["log"], input: input.joined(separator: "\n") + "\n")
        #expect(result.code == 1)
        #expect(result.err.hasPrefix("Error: line \(line): "), "\(result.err)")
        #expect(result.err.contains(message), "\(result.err)")
        #expect(result.err.contains("run 1 is marked failed"), "\(result.err)")
        let db = try Database(path: cli.database)
        #expect(try db.scalar("SELECT status FROM runs") == "failed")
        #expect(try db.scalar("SELECT error FROM runs")?.stringValue?.hasPrefix("line \(line): ") == true)
        let kept = input.prefix(line - 1).filter { $0.contains("\"step\"") }.count
        #expect(try db.scalar("SELECT count(*) FROM steps") == .integer(Int64(kept)))
    }

    @Test func aBadFirstLineMakesNoRunAndNamesTheProblem() throws {
        let cli = try CLIHarness()
        for (input, message) in [("{\"step\": 1, \"params\": {\"a b\": 1}}", "parameter name 'a b' is not allowed"),
                                 ("{\"step\": 1, \"params\": {\"w\": null}}", "is not finite (null, NaN or ±Infinity) at the first step"),
                                 ("{\"step\": 1, \"params\": {\"loss\": 1}}", "parameter name 'loss' is not allowed"),
                                 ("{\"step\": 1, \"params\": {\"w\": 1, \"w_passed\": 2}}", "parameter name 'w_passed' is not allowed"),
                                 ("{\"step\": 1, \"params\": {}}", "\"params\" names no parameter"),
                                 ("{\"config\": {\"lr\": NaN}}\n{\"step\": 1, \"params\": {\"w\": 1}}", "line 1: the config is not a JSON object"),
                                 ("{\"config\": " + String(repeating: "[", count: 10_000) + "}", "deeper than 256 levels"),
                                 ("{\"step\": 0, \"params\": {\"w\": 1}}", "the first step is 0"),
                                 ("", "no step was read")] {
            let result = cli.run(["log"], input: input + "\n")
            #expect(result.code == 1)
            #expect(result.err.contains(message), "\(result.err)")
        }
        #expect(try Database(path: cli.database).scalar("SELECT count(*) FROM runs") == .integer(0))
    }

    @Test func aLastLineCutInTheMiddleCountsAsTheEndOfTheInput() throws {
        let cli = try CLIHarness()
        let result = cli.run(["log"], input: "{\"step\": 1, \"params\": {\"w\": 1}}\n{\"step\": 2, \"params\": {\"w\"")
        #expect(result.code == 1)
        #expect(result.err.contains("the input ended in the middle of line 2 (left out)"), "\(result.err)")
        #expect(try Database(path: cli.database).rows("SELECT status, step_count FROM runs") == [["interrupted", 1]])
    }

    @Test func keysWrittenWithEscapesMetricsUpToTheReportsWidthAndAByteOrderMarkAreTaken() throws {
        let cli = try CLIHarness()
        // Each metric is two columns of the per-epoch report (its last value and its mean): with one
        // parameter, (2,000 - 5 - 1) / 2 of them fit.
        let metrics = (1...997).map { "\"m\($0)\": \($0)" }.joined(separator: ", ")
        let input = "\u{FEFF}{\"st\\u0065p\": 1, \"params\": {\"w\": 1}, \"metrics\": {\(metrics)}}\n{\"\\u0065nd\": \"finished\", \"error\": null}"
        let result = cli.run(["log"], input: input)
        #expect(result.code == 0, "\(result.err)")
        #expect(cli.run(["report", "1", "--steps", "--csv"]).code == 0)
        #expect(cli.run(["report", "1", "--csv"]).out.hasPrefix("epoch,steps,mean_loss,w,worst_rel_error,accuracy,m1,m1_mean,m10,"))
        let wider = cli.run(["log"], input: "{\"step\": 1, \"params\": {\"w\": 1}, \"metrics\": {\(metrics), \"m0\": 0}}")
        #expect(wider.code == 1 && wider.err.contains("more than 997 metric names"), "\(wider.err)")
        #expect(cli.run(["log", "--db", ""], useDatabase: false).code == 64)
    }

    @Test func inputThatEndsWithoutAnEndLineLeavesTheRunInterrupted() throws {
        var config = TrainingConfig()
        config.epochs = 5
        let cli = try CLIHarness()
        let result = cli.run(["log"], input: Self.lines(of: config, end: false).joined(separator: "\n"))
        #expect(result.code == 1)
        #expect(result.err.contains("without an end line"))
        let db = try Database(path: cli.database)
        #expect(try db.rows("SELECT status, step_count FROM runs") == [["interrupted", 5]])
        // The last epoch's row is written as the run ends, as for a run stopped in the middle.
        #expect(try db.scalar("SELECT count(*) FROM epochs") == .integer(5))
    }

    @Test func anEndLineThatSaysFailedOrDivergedEndsTheRunSoAndTheExitCodeSaysIt() throws {
        let step = "{\"step\": 1, \"params\": {\"w\": 1}}\n"
        let cli = try CLIHarness()
        let failed = cli.run(["log"], input: step + "{\"end\": \"failed\", \"error\": \"out of memory\"}")
        #expect(failed.code == 1 && failed.err.contains("ended run 1 as failed: out of memory"))
        let diverged = cli.run(["log"], input: step + "{\"end\": \"diverged\"}")
        #expect(diverged.code == 2)
        #expect(try Database(path: cli.database).rows("SELECT status, error FROM runs ORDER BY id")
            == [["failed", "out of memory"], ["diverged", .null]])
    }

    @Test func verifyCannotTrainALoggedRunAgainAndSaysSoWithItsOwnExitCode() throws {
        let cli = try CLIHarness()
        #expect(cli.run(["log"], input: "{\"step\": 1, \"params\": {\"w\": 1}}\n{\"end\": \"finished\"}").code == 0)
        #expect(cli.run(["run", "--epochs", "2"]).code == 0)
        let one = cli.run(["verify", "1"])
        #expect(one.code == 3 && one.err.contains("logged from outside gradlog"))
        let all = cli.run(["verify", "--all"])
        #expect(all.code == 0 && all.out.contains("run 2: identical") && all.err.contains("not verified") && all.err.contains("run 1"))
    }

    @Test func plotDiffMergeAndRmWorkOnALoggedRun() throws {
        var config = TrainingConfig()
        config.epochs = 300
        let cli = try CLIHarness()
        #expect(cli.run(["log", "--name", "outside"], input: Self.lines(of: config).joined(separator: "\n")).code == 0)
        #expect(cli.run(["run", "--epochs", "300"]).code == 0)
        for chart in ["loss", "params", "gradcheck", "accuracy"] {
            let plot = cli.run(["plot", "outside", "--chart", chart])
            #expect(plot.code == 0 && plot.out.hasPrefix("<svg"), "\(chart): \(plot.err)")
        }
        // The same steps as gradlog's own run: no step differs.
        #expect(cli.run(["diff", "1", "2", "--csv"]).out.contains("first difference,none in 300 common steps"))
        let other = CLIHarness.sharing(cli.directory, name: "other.db")
        let merged = other.run(["merge", cli.database])
        #expect(merged.code == 0, "\(merged.err)")
        #expect(other.run(["report", "outside", "--steps", "--csv"]).out == cli.run(["report", "outside", "--steps", "--csv"]).out)
        #expect(cli.run(["rm", "outside", "--yes"]).code == 0)
        #expect(try Database(path: cli.database).rows("SELECT count(*) FROM gradient_blocks WHERE run_id = 1") == [[0]])
    }

    @Test func whatARunLoggedFromOutsideDidNotGiveIsNeitherACheckNorANaN() throws {
        let cli = try CLIHarness()
        let logged = cli.run(["log", "--csv"], input: "{\"step\": 1, \"params\": {\"w\": 1}}\n{\"step\": 2, \"params\": {\"w\": 2}}\n"
            + "{\"end\": \"finished\"}\n")
        #expect(logged.out.contains(",not checked"), "\(logged.out)")
        for chart in ["accuracy", "params"] {
            let svg = cli.run(["plot", "1", "--chart", chart]).out
            #expect(svg.hasPrefix("<svg") && !svg.contains("not finite"), "\(chart)")
        }
    }

    @Test func stepsAreCommittedWhileTheProducerPausesSoAnotherReaderFollowsTheRun() throws {
        let cli = try CLIHarness()
        var ends: [Int32] = [0, 0]
        #expect(pipe(&ends) == 0)
        let console = Console.capturing()
        var context = CommandContext(console: console, environment: [:], commitInterval: 0.2)
        context.input = ends[0]
        let done = DispatchGroup()
        let database = cli.database
        onOwnThread(in: done) { [context] in
            _ = Gradlog.execute(["log", "--db", database], context: context)
        }
        let lines = "{\"step\": 1, \"params\": {\"w\": 1}}\n{\"step\": 2, \"params\": {\"w\": 2}}\n"
        _ = lines.withCString { write(ends[1], $0, strlen($0)) }
        var seen: SQLiteValue?
        for _ in 0..<100 where seen != .integer(2) {  // up to 10 s, far above the 0.2 s interval
            usleep(100_000)
            seen = try? Database(path: database, mode: .readOnly).scalar("SELECT count(*) FROM steps")
        }
        #expect(seen == .integer(2))
        _ = "{\"end\": \"finished\"}\n".withCString { write(ends[1], $0, strlen($0)) }
        close(ends[1])
        done.wait()
        close(ends[0])
        #expect(try Database(path: database).scalar("SELECT status FROM runs") == "finished")
    }
}
