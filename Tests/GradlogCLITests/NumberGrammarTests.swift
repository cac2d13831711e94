import Foundation
import SQLiteDB
import Testing
import Training
@testable import GradlogCLI

/// Values nothing else would accept: numbers outside the decimal grammar CSV files are read in,
/// and a run status none of gradlog's commands writes.
@Suite struct NumberGrammarTests {
    let cli: CLIHarness

    init() throws {
        cli = try CLIHarness()
    }

    @Test func theCommandLineReadsNumbersInTheSameDecimalGrammarAsCSVFiles() {
        for text in ["0x10", "0x1p3", "nan", "inf", "-infinity", "1_000", " 1", "", "1e"] {
            #expect(DecimalNumber.parse(text).map { _ in text == "1e" } ?? true, "\(text)")
        }
        #expect(DecimalNumber.parse("-2.5e-3") == -0.0025 && DecimalNumber.parse(".5") == 0.5)
        for arguments in [["--lr", "0x10"], ["--eps", "0x1p-20"], ["--atol", "nan"], ["--rtol", "inf"], ["--b", "0x1"],
                          ["--w=0x1"]] {
            let result = cli.run(["run", "--epochs", "1"] + arguments)
            #expect(result.code == 64, "\(arguments): \(result.err)")
        }
        #expect(cli.run(["log", "--atol", "0x1"], input: "").code == 64)
        #expect(cli.run(["run", "--epochs", "1", "--lr", "1e-1", "--b", "-0.5", "--w=.5"]).code == 0)
    }

    @Test func sqliteItselfRefusesAStatusOrLossNoneOfGradlogsAndMergeRefusesOneForcedIn() throws {
        let other = CLIHarness.sharing(cli.directory, name: "other.db")
        #expect(other.run(["run", "--epochs", "2"]).code == 0)
        let db = try Database(path: other.database)
        for edit in ["UPDATE runs SET status = 'pwned'", "UPDATE runs SET loss = 'l2'"] {
            #expect(throws: SQLiteError.self) { try db.execute(edit) }  // the CHECKs of schema 7
        }
        // Forced past the CHECK: merge still refuses the run as inconsistent.
        try db.execute("PRAGMA ignore_check_constraints = ON; UPDATE runs SET status = 'pwned'")
        let merged = cli.run(["merge", other.database])
        #expect(merged.code == 1)
        #expect(merged.err.contains("its status is 'pwned', none of running, finished"), "\(merged.err)")
        #expect(!FileManager.default.fileExists(atPath: cli.database))
    }
}
