import Foundation
import SQLiteDB
import TestSupport
import Testing
import Training
@testable import GradlogCLI

/// `gradlog run --autodiff` (the third gradient, stored, reported, verified, diffed and merged) and
/// `--fault UNIT` (a backward pass wrong on purpose in one unit).
@Suite struct AutodiffRunTests {
    let cli: CLIHarness

    init() throws {
        cli = try CLIHarness()
    }

    @Test func theAutodiffGradientIsStoredAtEachCheckedStepAndReportedBesideTheOtherTwo() throws {
        #expect(cli.run(["run", "--epochs", "6", "--autodiff", "--check-every", "2"]).code == 0)
        #expect(cli.run(["run", "--epochs", "6"]).code == 0)
        let db = try Database(path: cli.database)
        #expect(try db.rows("SELECT id, autodiff FROM runs ORDER BY id") == [[1, 1], [2, .null]])
        // Checked steps 1, 3, 5 have it; the others, and every row of the run without it, are NULL.
        #expect(try db.column(Int64.self, "SELECT DISTINCT step FROM gradients WHERE run_id = 1 AND autodiff IS NOT NULL ORDER BY step")
            == [1, 3, 5])
        #expect(try db.scalar("SELECT count(*) FROM gradients WHERE run_id = 2 AND autodiff IS NOT NULL") == .integer(0))
        #expect(try db.rows("SELECT param, autodiff FROM gradients WHERE run_id = 1 AND step = 1 ORDER BY param")
            == [["b", .real(-0.5)], ["w", .real(-1.0)]])
        #expect(try db.scalar("SELECT config FROM runs WHERE id = 1")?.stringValue?.contains(#""autodiff":1"#) == true)
        let lines = cli.run(["report", "1", "--steps", "--csv"]).out.split(separator: "\r\n").map(String.init)
        #expect(lines.first?.hasSuffix("w_passed,w_autodiff,b,b_analytic,b_numeric,b_abs_error,b_rel_error,b_passed,b_autodiff") == true)
        #expect(lines.count == 7 && lines[1].hasSuffix(",-1.0,-1.0,-0.5,-0.4999999999588667,4.11333189731522e-11,8.22666379463044e-11,1,-0.5"))
        #expect(!cli.run(["report", "2", "--steps", "--csv"]).out.contains("autodiff"))
        #expect(cli.run(["report", "1", "--steps", "--sql"]).out.contains(#"g1.autodiff AS "w_autodiff""#))
    }

    @Test func onACSVFileTheChainRuleAgreesWithTheStoredAutodiffGradientWithinFourUlps() throws {
        let csv = cli.directory.file("data.csv")
        try "a,b,c,y\n1,2,3,1\n-1,0.5,2,0\n0,0,-0.0,1\n2,-3,1e-3,0\n5,5,5,1\n".write(toFile: csv, atomically: true, encoding: .utf8)
        for extra in [["--batch-size", "2", "--loss", "textbook"], ["--hidden", "3", "--activation", "tanh"]] {
            #expect(cli.run(["run", "--dataset", csv, "--epochs", "60", "--lr", "0.5", "--autodiff"] + extra).code == 0)
        }
        let rows = try Database(path: cli.database).rows("SELECT analytic, autodiff FROM gradients WHERE autodiff IS NOT NULL")
        #expect(rows.count == 60 * 3 * 4 + 60 * 16)
        for row in rows {
            let (analytic, autodiff) = (row[0].doubleValue ?? .nan, row[1].doubleValue ?? .nan)
            #expect(AutodiffBound.agrees(analytic, autodiff, inputScale: 5), "\(analytic) vs \(autodiff)")
        }
        #expect(cli.run(["check", "1"]).code == 0 && cli.run(["check", "2"]).code == 0)
    }

    @Test func verifyRecomputesTheAutodiffGradientAndFindsOneChangedBit() throws {
        #expect(cli.run(["run", "--dataset", "xor", "--hidden", "3", "--epochs", "30", "--autodiff"]).code == 0)
        let clean = cli.run(["verify", "1"])
        #expect(clean.code == 0 && clean.out.hasPrefix("identical"), "\(clean.out)\(clean.err)")
        let db = try Database(path: cli.database)
        try db.run("UPDATE gradients SET autodiff = autodiff * (1 + 2e-16) WHERE run_id = 1 AND step = 17 AND param = 'l1.n2.w1'")
        let changed = cli.run(["verify", "1"])
        #expect(changed.code == 1)
        #expect(changed.out.contains("autodiff") && changed.out.contains("17"), "\(changed.out)")
    }

    @Test func diffAndMergeCarryTheAutodiffGradient() throws {
        #expect(cli.run(["run", "--epochs", "5", "--autodiff"]).code == 0)
        #expect(cli.run(["run", "--epochs", "5"]).code == 0)
        let diff = cli.run(["diff", "1", "2", "--csv"]).out
        #expect(diff.contains("config,autodiff,1,,") && diff.contains("first difference,step 1 w.autodiff,-1.0,,"), "\(diff)")
        let other = CLIHarness.sharing(cli.directory, name: "other.db")
        #expect(other.run(["run", "--epochs", "1"]).code == 0)
        #expect(other.run(["merge", cli.database]).code == 0)
        let merged = try Database(path: other.database)
        let source = try Database(path: cli.database)
        #expect(try merged.rows("SELECT step, param, autodiff FROM gradients WHERE run_id = 2 ORDER BY step, param")
            == (try source.rows("SELECT step, param, autodiff FROM gradients WHERE run_id = 1 ORDER BY step, param")))
        #expect(try merged.scalar("SELECT autodiff FROM runs WHERE id = 2") == .integer(1))
        #expect(other.run(["verify", "2"]).code == 0)
    }

    @Test func aFaultyUnitFailsItsOwnWeightChecksOnlyWhileAutodiffAgreesWithTheNumericGradient() throws {
        let run = cli.run(["run", "--dataset", "xor", "--hidden", "3", "--epochs", "40", "--autodiff", "--fault", "l1.n2"])
        #expect(run.code == 0, "\(run.err)")
        let db = try Database(path: cli.database)
        #expect(try db.column(String.self, "SELECT DISTINCT param FROM gradients WHERE passed = 0 ORDER BY param")
            == ["l1.n2.w1", "l1.n2.w2"])
        // The compiler's gradient is the loss's own: it passes the same check against the numeric one.
        #expect(try db.scalar("""
            SELECT count(*) FROM gradients WHERE abs(autodiff - numeric) > 1e-5 + 1e-3 * abs(numeric)
            """) == .integer(0))
        #expect(try db.scalar("SELECT fault FROM runs") == "l1.n2")
        #expect(cli.run(["verify", "1"]).code == 0)
        #expect(cli.run(["run", "--epochs", "3", "--fault", "l1.n1"]).code == 0)
        #expect(try db.column(String.self, "SELECT DISTINCT param FROM gradients WHERE run_id = 2 AND passed = 0") == ["w"])
    }

    @Test(arguments: [
        (["--fault", "l2.n1"], "--fault l2.n1 is not allowed: expected a unit of the model, l{layer}.n{unit}: l1.n1"),
        (["--hidden", "4,2", "--fault", "l2.n3"],
         "--fault l2.n3 is not allowed: expected a unit of the model, l{layer}.n{unit}: l1.n1 to l1.n4, l2.n1 to l2.n2, l3.n1"),
        (["--fault", "l1.n01"], "l{layer}.n{unit}"),
        (["--fault", "n1"], "l{layer}.n{unit}"),
    ])
    func aFaultOutsideTheModelIsRefusedNamingTheUnitsThereAre(arguments: [String], words: String) throws {
        let refused = cli.run(["run", "--dataset", "and"] + arguments)
        #expect(refused.code == 2 || refused.code == 64, "\(refused.err)")
        #expect(refused.err.contains(words), "\(refused.err)")
        #expect(!FileManager.default.fileExists(atPath: cli.database))
    }
}
