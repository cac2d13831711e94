import Foundation
import SQLiteDB
import Testing
import Wording
@testable import GradlogCLI

/// `gradlog sweep`: the grid its options describe, the commands it prints, and its table of trials.
@Suite struct SweepTests {
    @Test func theSweepKnowsRunsOptionsFromRunsOwnDeclaration() {
        #expect(SweepGrid.flags.isSuperset(of: ["quiet", "table", "csv", "tsv", "json", "jsonl", "markdown"]))
        #expect(!SweepGrid.flags.contains("help") && !SweepGrid.flags.contains("lr"))
        #expect(RunOptionNames.valued.isSuperset(of: ["lr", "seed", "dataset", "hidden", "w", "b", "precision"]))
        // Every option the sweep refuses is one of run's: none is a stale name.
        #expect(SweepGrid.refused.isSubset(of: RunOptionNames.valued.union(["help"])))
    }

    @Test func listsRangesAndRepeatedOptionsMakeTheCartesianProductWithTheFirstOptionSlowest() throws {
        let grid = try SweepGrid(arguments: [
            "--dataset", "xor", "--lr", "0.5,2", "--hidden", "4", "--hidden=4,2", "--seed", "1..3", "--tag", "who=me",
            "--name", "grid", "--quiet", "--csv",
        ])
        #expect(grid.axes.map(\.option) == ["lr", "hidden", "seed"])
        #expect(grid.trialCount == 12)
        #expect(grid.fixed == ["--tag", "who=me", "--name", "grid", "--dataset", "xor"])
        #expect(grid.values(ofTrial: 1) == ["0.5", "4", "1"])
        #expect(grid.values(ofTrial: 2) == ["0.5", "4", "2"])
        #expect(grid.values(ofTrial: 4) == ["0.5", "4,2", "1"])
        #expect(grid.values(ofTrial: 12) == ["2", "4,2", "3"])
        #expect(grid.arguments(ofTrial: 7).suffix(6) == ["--lr", "2", "--hidden", "4", "--seed", "1"])
    }

    @Test func aNegativeValueAndAValueAfterAnEqualsSignAreValuesNotOptions() throws {
        let grid = try SweepGrid(arguments: ["--b", "-1,1", "--w=-0.5"])
        #expect(grid.axes == [.init(option: "b", values: ["-1", "1"])])
        #expect(grid.fixed == ["--w", "-0.5"])
    }

    @Test(arguments: [
        (["0.1"], "is not an option of gradlog run"),
        (["--lr", "0.1,,1"], "an empty value in the list"),
        (["--seed", "5..1"], "the range 5..1 is empty"),
        (["--seed", "1..1000000"], "more than 10000 values"),
        (["--seed", "1..200", "--lr", "1..200"], "more than 10000 trials"),
        (["--seed=-9223372036854775808..1"], "more than 10000 values"),
        (["--seed", "1..9999", "--epochs", "1..9999", "--batch-size", "1..9999", "--check-every", "1..9999"],
         "more than 10000 trials"),
        (["--name", "two\nlines"], "cannot hold line breaks"),
        (["--db", "x.db"], "--db is set by the sweep itself"),
        (["--lr"], "--lr needs a value"),
        (["--tag", "trial=3"], "the sweep's own"),
        (["--quiet=1"], "--quiet takes no value"),
    ])
    func argumentsThatDescribeNoSweepAreRefusedWithTheReason(arguments: [String], words: String) {
        #expect {
            _ = try SweepGrid(arguments: arguments)
        } throws: { error in
            (error as? SweepGrid.Problem)?.description.contains(words) == true
        }
    }

    @Test func everyTrialIsCheckedBeforeAnyStartsAndABadOneIsNamed() throws {
        let cli = try CLIHarness()
        let result = cli.run(["sweep", "--lr", "0.1,-1", "--epochs", "5"])
        #expect(result.code == 64)
        #expect(result.err.contains("trial 2 (--lr -1)"), "\(result.err)")
        #expect(!FileManager.default.fileExists(atPath: cli.database))
    }

    @Test func printedCommandsAreOrdinaryRunsThatSweepShowFindsAsTheSweepsTrials() throws {
        let cli = try CLIHarness()
        let printed = cli.run(["sweep", "--dataset", "and", "--epochs", "3", "--lr", "0.1,1", "--batch-size", "1..2", "--print-commands"])
        #expect(printed.code == 0, "\(printed.err)")
        let lines = printed.out.split(separator: "\n").map(String.init)
        try #require(lines.count == 4)
        #expect(lines[0].hasPrefix("gradlog run --db \(cli.database) --dataset and --epochs 3 --lr 0.1 --batch-size 1 --tag sweep="))
        #expect(lines[3].contains("--tag sweep.lr=1 --tag sweep.batch-size=2 --quiet"))
        #expect(lines[0].contains("--tag sweep.grid=sha256:"))
        #expect(lines.allSatisfy { $0.count < 400 })
        let sweep = try #require(lines[0].split(separator: " ").first { $0.hasPrefix("sweep=") }?.dropFirst(6))
        for line in lines.reversed() {
            // The shell's reading of the printed words (single quotes only).
            let words = ShellWordsForTest.split(line)
            #expect(cli.run(Array(words.dropFirst()), useDatabase: false).code == 0)
        }
        let shown = cli.run(["sweep", "show", String(sweep), "--db", cli.database, "--csv"], useDatabase: false)
        #expect(shown.code == 0, "\(shown.err)")
        let rows = shown.out.split(separator: "\r\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        try #require(rows.count == 5)
        #expect(rows[0] == ["trial", "run", "status", "batch_size", "lr", "epoch_count", "final_loss", "final_accuracy", "gradient_check"])
        #expect(rows.dropFirst().map { $0[0] } == ["1", "2", "3", "4"])
        #expect(rows.dropFirst().map { $0[1] } == ["4", "3", "2", "1"])
        #expect(rows[4][3...4] == ["2", "1"])
        let sorted = cli.run(["sweep", "show", String(sweep), "--db", cli.database, "--csv", "--sort", "final_loss"],
                             useDatabase: false)
        let losses = sorted.out.split(separator: "\r\n").dropFirst().compactMap { Double($0.split(separator: ",")[6]) }
        #expect(losses == losses.sorted() && losses.count == 4)
        let badSort = cli.run(["sweep", "show", String(sweep), "--db", cli.database, "--sort", "nope"], useDatabase: false)
        #expect(badSort.code == 64 && badSort.err.contains("the columns are trial, run, status"))
    }

    @Test func theGridsFingerprintIgnoresTheOrderOfOneValueOptionsButNotOfSweptOnes() throws {
        let one = try SweepGrid(arguments: ["--dataset", "and", "--epochs", "5", "--lr", "0.1,1", "--seed", "1..2"])
        let reordered = try SweepGrid(arguments: ["--epochs=5", "--dataset", "and", "--lr", "0.1,1", "--seed", "1,2"])
        let swapped = try SweepGrid(arguments: ["--dataset", "and", "--epochs", "5", "--seed", "1..2", "--lr", "0.1,1"])
        #expect(one.fingerprint == reordered.fingerprint)
        #expect(one.fingerprint != swapped.fingerprint)
        #expect(one.fingerprint.hasPrefix("sha256:") && one.fingerprint.count == 71)
    }

    @Test func aBadSortOrDescWithoutSortIsRefusedBeforeAnyTrialRuns() throws {
        let cli = try CLIHarness()
        let badSort = cli.run(["sweep", "--lr", "0.1,1", "--epochs", "2", "--sort", "final_los"])
        #expect(badSort.code == 64)
        #expect(badSort.err == "Error: --sort final_los: the columns are trial, run, status, lr, epoch_count, final_loss, "
                + "final_accuracy, gradient_check\n")
        let descAlone = cli.run(["sweep", "--lr", "0.1,1", "--epochs", "2", "--desc"])
        #expect(descAlone.code == 64 && descAlone.err.contains("give the column with --sort"))
        #expect(!FileManager.default.fileExists(atPath: cli.database))
        #expect(cli.run(["sweep", "--jobs", "-1", "--lr", "0.1,1"]).err.contains("--jobs -1: give at least 1 worker"))
    }

    @Test func aTagKeyWrittenAsSQLNeverBecomesAColumn() throws {
        let cli = try CLIHarness()
        let hostile = #"sweep.q", (SELECT group_concat(name) FROM sqlite_master) AS "leak=1"#
        #expect(cli.run(["run", "--epochs", "1", "--tag", "sweep=y", "--tag", "trial=1", "--tag", "sweep.grid=g",
                         "--tag", "sweep.lr=0.1", "--tag", hostile]).code == 0)
        let shown = cli.run(["sweep", "show", "y", "--db", cli.database, "--csv"], useDatabase: false)
        #expect(shown.code == 0, "\(shown.err)")
        #expect(shown.out.hasPrefix("trial,run,status,lr,epoch_count,"))
        #expect(!shown.out.contains("leak") && !shown.out.contains("runs,"))
    }

    @Test func aTrialWithoutARunShowsAsNotRunAndTheLatestStartedRunOfATrialIsShown() throws {
        let cli = try CLIHarness()
        let printed = cli.run(["sweep", "--id", "g", "--epochs", "2", "--lr", "0.1,1,2", "--print-commands"]).out
        let lines = printed.split(separator: "\n").map(String.init)
        try #require(lines.count == 3)
        // Trial 3 runs twice; the copy with the higher id started earlier (as after pulls in another order).
        for line in [lines[2], lines[0], lines[2]] {
            #expect(cli.run(Array(ShellWordsForTest.split(line).dropFirst()), useDatabase: false).code == 0)
        }
        try Database(path: cli.database).execute(
            "UPDATE runs SET started_at = '2000-01-01T00:00:00.000Z', status = 'interrupted' WHERE id = 3")
        let shown = cli.run(["sweep", "show", "g", "--db", cli.database, "--csv"], useDatabase: false).out
        let rows = shown.split(separator: "\r\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        #expect(rows.map { "\($0[0]):\($0[1]):\($0[2])" } == ["1:2:finished", "2::not run", "3:1:finished"])
        let resume = cli.run(["sweep", "--resume", "g", "--epochs", "2", "--lr", "0.1,1,2", "--print-commands"])
        #expect(resume.out.split(separator: "\n").count == 1 && resume.out.contains("--tag trial=2 "), "\(resume.out)")
    }

    @Test func anUnknownSweepIsNamed() throws {
        let cli = try CLIHarness()
        #expect(cli.run(["run", "--epochs", "1"]).code == 0)
        let shown = cli.run(["sweep", "show", "abcdef12", "--db", cli.database], useDatabase: false)
        #expect(shown.code == 1)
        #expect(shown.err.contains("no run of this database belongs to sweep 'abcdef12'"))
    }

    @Test func shellQuotingLeavesSafeWordsAndQuotesTheRest() {
        #expect(ShellWord.quoted("--lr") == "--lr")
        #expect(ShellWord.quoted("sweep.grid=--a 1|2") == "'sweep.grid=--a 1|2'")
        #expect(ShellWord.quoted("it's") == "'it'\\''s'")
        #expect(ShellWord.quoted("") == "''")
    }
}

/// Splits a printed command line as a POSIX shell would, for the single quotes `ShellWord` writes.
enum ShellWordsForTest {
    static func split(_ line: String) -> [String] {
        var words: [String] = []
        var word = ""
        var quoted = false
        var inWord = false
        for character in line {
            if character == "'" {
                quoted.toggle()
                inWord = true
            } else if character == " " && !quoted {
                if inWord { words.append(word) }
                word = ""
                inWord = false
            } else {
                word.append(character)
                inWord = true
            }
        }
        if inWord { words.append(word) }
        return words
    }
}
