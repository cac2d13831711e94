import Foundation
import SQLiteDB
import TestSupport
import Testing
import Tracker
@testable import GradlogCLI

/// `gradlog check`: each cause of a failed check, classified on a real run, the JSON form, the ε
/// sweep against an independent float64 implementation, and the refusals.
@Suite struct CheckCommandTests {
    let cli: CLIHarness

    init() throws {
        cli = try CLIHarness()
    }

    /// Trains one run with `arguments` and returns its diagnosis as JSON, and the exit code of `check`.
    func diagnose(_ arguments: [String]) throws -> (json: [String: Any], code: Int32) {
        #expect(cli.run(["run", "--quiet"] + arguments).code == 0)
        let result = cli.run(["check", "latest", "--json"])
        let object = try JSONSerialization.jsonObject(with: Data(result.out.utf8)) as? [String: Any]
        return (try #require(object, "\(result.out)\(result.err)"), result.code)
    }

    /// The causes of the diagnosis's findings, in order, with their units.
    func causes(_ json: [String: Any]) -> [String] {
        (json["findings"] as? [[String: Any]] ?? []).map { finding in
            "\(finding["cause"] ?? "") l\(finding["layer"] ?? "").n\(finding["unit"] ?? "")"
        }
    }

    @Test func aRunWhoseChecksAllPassExitsZeroAndSaysSo() throws {
        let (json, code) = try diagnose(["--epochs", "30"])
        #expect(code == 0 && json["failed"] as? Int == 0 && json["checks"] as? Int == 60 && causes(json).isEmpty)
        #expect(cli.run(["check", "latest"]).out.hasPrefix("run 1: all 60 checks passed (atol 1e-05, rtol 0.001, eps 1e-06)\n"))
    }

    @Test func aFaultyUnitIsNamedAsAWrongBackwardPassWhileAutodiffAndNumericAgree() throws {
        let (json, code) = try diagnose(["--dataset", "xor", "--hidden", "3", "--epochs", "25", "--fault", "l1.n2"])
        #expect(code == 1)
        #expect(causes(json) == ["wrong-backward-pass l1.n2"])
        let finding = try #require((json["findings"] as? [[String: Any]])?.first)
        #expect(finding["first_step"] as? Int == 1 && finding["last_step"] as? Int == 25 && finding["checks"] as? Int == 50)
        #expect(finding["parameters"] as? [String] == ["l1.n2.w1", "l1.n2.w2"])
        let evidence = try #require(finding["evidence"] as? [String: Double])
        #expect(try #require(evidence["numeric_vs_autodiff"]) < 1e-9)
        let first = try #require(json["first"] as? [String: Any])
        #expect(first["step"] as? Int == 1 && first["param"] as? String == "l1.n2.w1" && first["layer"] as? Int == 1)
        let text = cli.run(["check", "latest"]).out
        #expect(text.contains("wrong-backward-pass in layer 1, unit 2: steps 1 to 25, 50 checks (l1.n2.w1, l1.n2.w2)"), "\(text)")
    }

    @Test func aSaturatedHiddenUnitIsNamedWhenAnAbsoluteToleranceOfZeroFailsIt() throws {
        let initial = cli.directory.file("big.json")
        try #"{"l1.n1.w1": 20, "l1.n1.w2": 20, "l1.n1.b": -10, "l1.n2.w1": 1, "l1.n2.w2": -1, "l1.n2.b": 0.5, "l2.n1.w1": 1, "l2.n1.w2": 1, "l2.n1.b": 0}"#
            .write(toFile: initial, atomically: true, encoding: .utf8)
        let (json, code) = try diagnose(["--dataset", "xor", "--hidden", "2", "--activation", "tanh", "--init", initial,
                                         "--atol", "0", "--epochs", "3"])
        #expect(code == 1 && causes(json) == ["saturation l1.n1"])
        let evidence = try #require((json["findings"] as? [[String: Any]])?.first?["evidence"] as? [String: Double])
        #expect(try #require(evidence["unit_scale"]) < 1e-4)
    }

    @Test func theResidualComputedAsWrittenIsNamedAsCancellation() throws {
        let (json, code) = try diagnose(["--w", "20", "--b", "0", "--residual", "difference", "--atol", "0", "--epochs", "3"])
        #expect(code == 1 && causes(json) == ["cancellation l1.n1"])
        let evidence = try #require((json["findings"] as? [[String: Any]])?.first?["evidence"] as? [String: Double])
        #expect(evidence["logit"] == 40 && evidence["computed_residual"] == 0)
        // The exact residual has no such failure.
        let (exact, exactCode) = try diagnose(["--w", "20", "--b", "0", "--atol", "0", "--epochs", "3"])
        #expect(exactCode == 0 && causes(exact).isEmpty)
    }

    @Test(arguments: [("0.5", "eps-too-large"), ("1e-13", "eps-too-small")])
    func anEpsilonFarFromTheBestIsNamedWithTheBestOne(eps: String, cause: String) throws {
        let (json, code) = try diagnose(["--dataset", "and", "--epochs", "20", "--eps", eps])
        #expect(code == 1 && causes(json) == ["\(cause) l1.n1"])
        let evidence = try #require((json["findings"] as? [[String: Any]])?.first?["evidence"] as? [String: Double])
        let best = try #require(evidence["best_eps"])
        #expect(cause == "eps-too-large" ? best < 0.5 : best > 1e-13)
        #expect(try #require(evidence["error_at_best"]) < (try #require(evidence["error_at_eps"])))
    }

    @Test func aRunLoggedFromOutsideIsReportedNotClassified() throws {
        let lines = [#"{"step": 1, "loss": 0.5, "params": {"w": 1}, "analytic": {"w": 0.25}, "numeric": {"w": 0.5}}"#,
                     #"{"step": 2, "loss": 0.4, "params": {"w": 2}, "analytic": {"w": 0.25}, "numeric": {"w": 0.25}}"#,
                     #"{"end": "finished"}"#]
        #expect(cli.run(["log"], input: lines.joined(separator: "\n") + "\n").code == 0)
        let result = cli.run(["check", "1", "--json"])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.out.utf8)) as? [String: Any])
        #expect(result.code == 1 && json["external"] as? String == "yes" && causes(json) == ["not-recomputable l1.n1"])
        let sweep = cli.run(["check", "1", "--step", "1", "--eps-sweep"])
        #expect(sweep.code == 3 && sweep.err.contains("logged from outside gradlog"), "\(sweep.err)")
    }

    @Test func theEpsilonSweepOfTheLessonShowsItsOwnNumberAndMarksTheRunsAndTheBestEpsilon() throws {
        #expect(cli.run(["run", "--loss", "textbook", "--epochs", "2"]).code == 0)
        let rows = cli.run(["check", "1", "--step", "1", "--eps-sweep", "--param", "w", "--csv"]).out
            .split(separator: "\r\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        #expect(rows.first == ["param", "eps", "numeric", "analytic", "autodiff", "abs_error", "rel_error", "autodiff_error", "mark"])
        #expect(rows.count == 14)
        #expect(rows.first { $0[1] == "1e-06" }?[2] == "-1.0000000000842668")  // the lesson's number
        #expect(rows.first { $0[1] == "1e-06" }?.last == "run")
        #expect(rows.filter { $0.last?.contains("best") == true }.count == 1)
    }

    @Test(arguments: [
        ["run", "--epochs", "12", "--check-every", "1"],
        ["run", "--dataset", "and", "--batch-size", "3", "--epochs", "9", "--lr", "0.7", "--seed", "5"],
        ["run", "--dataset", "or", "--loss", "textbook", "--batch-size", "1", "--epochs", "6", "--residual", "difference"],
    ])
    func theEpsilonSweepIsReproducedToTheLastBitByAnIndependentFloat64Implementation(arguments: [String]) throws {
        #expect(cli.run(arguments).code == 0)
        let db = try Database(path: cli.database)
        let steps = try db.scalar("SELECT step_count FROM runs WHERE id = 1")?.int64Value ?? 0
        let parameters = try db.scalar("SELECT count(*) FROM params WHERE run_id = 1")?.int64Value ?? 0
        let oracle = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Oracle/eps_sweep.py").path
        for step in [1, steps / 2, steps] {
            let csv = cli.directory.file("sweep-\(step).csv")
            let sweep = cli.run(["check", "1", "--step", "\(step)", "--eps-sweep", "--eps", "1e0..1e-15", "--csv", "--output", csv])
            #expect(sweep.code == 0, "\(sweep.err)")
            let process = Process()
            // Debian's python3, which scripts/setup installs.
            process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
            process.arguments = [oracle, cli.database, "1", "\(step)", csv]
            let pipe = Pipe()
            process.standardOutput = pipe
            try process.run()
            let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus == 0 && output == "ok: \(16 * parameters) rows\n", "step \(step): \(output)")
        }
    }

    @Test func theEpsilonSweepNotesAStoredGradientTheChainRuleDoesNotGiveAgain() throws {
        #expect(cli.run(["run", "--epochs", "3"]).code == 0)
        #expect(cli.run(["check", "1", "--step", "2", "--eps-sweep", "--csv"]).err.isEmpty)
        try Database(path: cli.database).run("UPDATE gradients SET analytic = 0.25 WHERE run_id = 1 AND step = 2 AND param = 'b'")
        let note = cli.run(["check", "1", "--step", "2", "--eps-sweep", "--csv"]).err
        #expect(note.contains("at step 2 the chain rule gives b ") && note.contains("where the run stored 0.25"), "\(note)")
    }

    @Test func theEpsilonSweepDrawsALogLogChart() throws {
        #expect(cli.run(["run", "--epochs", "3"]).code == 0)
        #expect(cli.run(["run", "--epochs", "3", "--fault", "l1.n1"]).code == 0)
        let svg = cli.directory.file("sweep.svg")
        #expect(cli.run(["check", "1", "--step", "2", "--eps-sweep", "--svg", svg, "--csv"]).code == 0)
        let text = try String(contentsOfFile: svg, encoding: .utf8)
        #expect(text.hasPrefix("<svg") && text.contains("ε sweep of run 1 at step 2") && text.contains("w: |analytic − numeric|"))
        // Where the chain rule and the compiler agree, one line each; a faulty weight gets both.
        #expect(!text.contains("|autodiff − numeric|"))
        #expect(cli.run(["check", "2", "--step", "2", "--eps-sweep", "--svg", svg, "--csv"]).code == 0)
        let faulty = try String(contentsOfFile: svg, encoding: .utf8)
        #expect(faulty.contains("w: |autodiff − numeric|") && !faulty.contains("b: |autodiff − numeric|"))
    }

    @Test(arguments: [
        (["check", "1", "--eps-sweep"], "--eps-sweep needs --step N"),
        (["check", "1", "--step", "2"], "--step belongs to the ε sweep"),
        (["check", "1", "--step", "0", "--eps-sweep"], "steps are numbered from 1"),
        (["check", "1", "--step", "99", "--eps-sweep"], "run 1 has no step 99"),
        (["check", "1", "--step", "1", "--eps-sweep", "--eps", "3e-2..1e-5"], "--eps"),
        (["check", "1", "--step", "1", "--eps-sweep", "--param", "q*"], "q*"),
        (["check", "7"], "no run with id 7"),
    ])
    func badRequestsAreRefusedWithTheReason(arguments: [String], words: String) throws {
        #expect(cli.run(["run", "--epochs", "3"]).code == 0)
        let result = cli.run(arguments)
        #expect(result.code != 0 && result.err.contains(words), "\(result.err)")
        #expect(result.out.isEmpty)
    }
}
