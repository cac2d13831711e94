import Foundation
import SQLiteDB
import TestSupport
import Testing
@testable import GradlogCLI

/// Runs with hidden layers: trained, logged, reported per layer, verified, merged and refused
/// when their settings are wrong.
@Suite struct LayeredRunTests {
    let cli: CLIHarness

    /// A fresh copy of a database with the two runs, which are trained once per test process.
    init() throws {
        (cli, _) = try CLIHarness.copying(Self.template)
    }

    static let template = DatabaseTemplate<Void> { path in
        let cli = try CLIHarness()
        precondition(cli.run(["run", "--dataset", "xor", "--epochs", "2000", "--lr", "1", "--name", "neuron"]).code == 0)
        precondition(cli.run(["run", "--dataset", "xor", "--hidden", "4", "--epochs", "2000", "--lr", "1",
                              "--name", "hidden"]).code == 0)
        _ = try Database(path: cli.database).execute("PRAGMA wal_checkpoint(TRUNCATE)")
        try FileManager.default.copyItem(atPath: cli.database, toPath: path)
    }

    @Test func oneHiddenLayerLearnsXorAndEveryWeightIsChecked() throws {
        let db = try Database(path: cli.database)
        #expect(try db.scalar("SELECT final_accuracy FROM runs WHERE id = 1")?.doubleValue ?? 1 <= 0.75)
        #expect(try db.scalar("SELECT final_accuracy FROM runs WHERE id = 2") == .real(1))
        #expect(try db.scalar("SELECT count(*) FROM params WHERE run_id = 2") == .integer(17))
        let places = try db.rows("SELECT param, layer, unit, input, feature FROM params WHERE run_id = 2 ORDER BY position")
        #expect(places.first == ["l1.n1.w1", 1, 1, 1, "x1"])
        #expect(places.last == ["l2.n1.b", 2, 1, .null, .null])
        #expect(try db.scalar("SELECT count(*) FROM gradients WHERE run_id = 2") == .integer(17 * 2000))
        #expect(try db.scalar("SELECT failed_checks FROM runs WHERE id = 2") == .integer(0))
        #expect(try db.rows("SELECT hidden, activation, check_every FROM runs ORDER BY id")
                == [["", "sigmoid", 1], ["4", "sigmoid", 1]])
        #expect(cli.run(["verify", "--all"]).out == "run 1: identical: 2000 steps, 48010 values\n"
                + "run 2: identical: 2000 steps, 160024 values\n")
    }

    @Test func compareShowsTheArchitectureAndTheAccuracyOfBoth() {
        let out = cli.run(["compare", "1", "2", "--csv"]).out
        #expect(out.contains("hidden,,,4\r\n"))
        #expect(out.contains("accuracy,,0.25,1.0\r\n"))
        #expect(cli.run(["diff", "1", "2", "--csv"]).out.contains("config,hidden,,4,\r\n"))
    }

    @Test func theLayerReportAndTheParameterSelectionWorkInEveryFormat() {
        let layers = cli.run(["report", "2", "--layers", "--csv"]).out.split(separator: "\r\n")
        #expect(layers.first == "epoch,layer,checks,worst_abs_error,worst_rel_error,failed_checks")
        #expect(layers.count == 1 + 2 * 2000)
        #expect(layers[1].hasPrefix("1,1,12,") && layers[2].hasPrefix("1,2,5,"))
        for format in ["--csv", "--tsv", "--json", "--jsonl", "--markdown", "--table"] {
            let out = cli.run(["report", "2", "--steps", "--param", "l2.*", format]).out
            #expect(out.contains("l2.n1.w4_analytic") && !out.contains("l1.n1"), "\(format)")
        }
        let selected = cli.run(["report", "2", "--param", "l1.n?.b", "--csv"]).out
        #expect(selected.hasPrefix("epoch,steps,mean_loss,l1.n1.b,l1.n2.b,l1.n3.b,l1.n4.b,worst_rel_error,accuracy\r\n"))
        let none = cli.run(["report", "2", "--param", "x*"])
        #expect(none.code == 64 && none.err.contains("matches no parameter of run 2"))
        #expect(cli.run(["report", "2", "--layers", "--steps"]).code == 64)
    }

    @Test func aCheckEveryKStepsLeavesNullInBetweenAndStillVerifies() throws {
        #expect(cli.run(["run", "--dataset", "xor", "--hidden", "3,2", "--activation", "tanh", "--check-every", "10",
                         "--epochs", "25", "--lr", "0.5"]).code == 0)
        let db = try Database(path: cli.database)
        let checked = try db.rows(
            "SELECT step FROM gradients WHERE run_id = 3 AND param = 'l3.n1.b' AND passed IS NOT NULL ORDER BY step")
        #expect(checked == [[1], [11], [21]])
        #expect(try db.scalar("SELECT count(*) FROM gradients WHERE run_id = 3 AND passed IS NULL AND numeric IS NOT NULL")
                == .integer(0))
        #expect(try db.scalar("SELECT count(*) FROM epochs WHERE run_id = 3 AND worst_rel_error IS NULL") == .integer(22))
        #expect(cli.run(["verify", "3"]).out.hasPrefix("identical: 25 steps"))
    }

    @Test func initialValuesGivenByNameAreUsedAndBadFilesAreRefused() throws {
        let names = ["l1.n1.w1", "l1.n1.w2", "l1.n1.b", "l1.n2.w1", "l1.n2.w2", "l1.n2.b", "l2.n1.w1", "l2.n1.w2", "l2.n1.b"]
        let good = cli.directory.file("init.json")
        let values = names.enumerated().map { "\"\($1)\": \(Double($0) / 10)" }.joined(separator: ", ")
        try "{\(values)}".write(toFile: good, atomically: true, encoding: .utf8)
        #expect(cli.run(["run", "--dataset", "xor", "--hidden", "2", "--init", good, "--epochs", "1"]).code == 0)
        let db = try Database(path: cli.database)
        #expect(try db.rows("SELECT initial FROM params WHERE run_id = 3 ORDER BY position").map { $0[0] }
                == (0..<9).map { .real(Double($0) / 10) })
        #expect(try db.scalar("SELECT init FROM runs WHERE id = 3") == "given")
        let cases: [(String, String)] = [
            ("{\"l1.n1.w1\": 1}", "no value for l1.n1.w2"),
            ("{\(values), \"l9.n1.b\": 1}", "l9.n1.b is no parameter of this model"),
            ("[1, 2]", "expected one JSON object"),
            ("{\"l1.n1.w1\": \"x\"}", "expected one JSON object"),
            ("{\(values), \"l1.n1.w\\u0031\": 9}", "'l1.n1.w1' is given more than once"),
        ]
        for (text, message) in cases {
            let file = cli.directory.file("bad.json")
            try text.write(toFile: file, atomically: true, encoding: .utf8)
            let result = cli.run(["run", "--dataset", "xor", "--hidden", "2", "--init", file])
            #expect(result.code == 64 && result.err.contains(message), "\(text): \(result.err)")
        }
        #expect(try db.scalar("SELECT count(*) FROM runs") == .integer(3))
    }

    @Test func layeredSettingsThatCannotWorkAreRefusedBeforeTheDatabaseIsTouched() throws {
        let neuronInit = cli.directory.file("neuron.json")
        try #"{"w1": 0.1, "w2": 0.2, "b": 0}"#.write(toFile: neuronInit, atomically: true, encoding: .utf8)
        for (arguments, message) in [
            (["--hidden", "0"], "--hidden 0 is not allowed"),
            (["--hidden", "4,x"], "--hidden"),
            (["--hidden", "1,1,1,1,1,1,1,1,1"], "up to 8 comma-separated layer sizes"),
            (["--hidden", "1024,1024"], "at most 10000 parameters (these make 1053697"),
            (["--hidden", "2", "--w", "1,2"], "no --w with --hidden"),
            (["--check-every", "0"], "--check-every 0 is not allowed"),
            (["--activation", "relu"], "relu"),
            (["--activation", "tanh"], "--activation tanh is not allowed: expected sigmoid without --hidden"),
            (["--init", neuronInit, "--w", "1,2"], "no --w with --hidden or --init"),
        ] {
            let result = cli.run(["run", "--dataset", "xor", "--db", cli.directory.file("never.db")] + arguments,
                                 useDatabase: false)
            #expect(result.code == 64 && result.err.contains(message), "\(arguments): \(result.err)")
            #expect(!FileManager.default.fileExists(atPath: cli.directory.file("never.db")))
        }
    }

    @Test func aLayeredRunIsMergedAndStillVerifies() throws {
        let other = CLIHarness.sharing(cli.directory, name: "other.db")
        #expect(other.run(["run", "--dataset", "and", "--hidden", "2,2", "--epochs", "20"]).code == 0)
        #expect(cli.run(["merge", other.database]).code == 0)
        #expect(cli.run(["verify", "3"]).out.hasPrefix("identical: 20 steps"))
        #expect(cli.run(["report", "3", "--layers", "--csv"]).out.split(separator: "\r\n").count == 1 + 3 * 20)
    }
}
