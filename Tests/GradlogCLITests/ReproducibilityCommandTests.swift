import Foundation
import SQLiteDB
import TestSupport
import Testing
@testable import GradlogCLI
@testable import Output

@Suite struct ReproducibilityCommandTests {
    let cli: CLIHarness

    init() throws {
        cli = try CLIHarness()
        precondition(cli.run(["run", "--epochs", "5", "--name", "lesson"]).code == 0)
        precondition(cli.run(["run", "--dataset", "and", "--batch-size", "2", "--epochs", "4", "--seed", "9"]).code == 0)
    }

    @Test func verifyPrintsIdenticalForAFreshRun() {
        let result = cli.run(["verify", "1"])
        #expect(result.code == 0)
        #expect(result.out == "identical: 5 steps, 109 values\n")
        let all = cli.run(["verify", "--all"])
        #expect(all.out == "run 1: identical: 5 steps, 109 values\nrun 2: identical: 8 steps, 170 values\n")
    }

    @Test func verifyReportsTheFirstDifferenceAndExitsOne() throws {
        try Database(path: cli.database).execute(
            "UPDATE gradients SET numeric = 0.25 WHERE run_id = 2 AND step = 6 AND param = 'w1'")
        let result = cli.run(["verify", "2"])
        #expect(result.code == 1)
        #expect(result.out.hasPrefix("different at step 6, parameter w1, column numeric: logged 0.25, recomputed "))
        let csv = cli.run(["verify", "--all", "--csv"])
        #expect(csv.code == 1)
        #expect(csv.out.contains("1,identical,5,109,,,,,\r\n"))
        #expect(csv.out.contains("2,different,5,"))
    }

    @Test func verifyInJSONKeepsNumbersAsNumbers() throws {
        try Database(path: cli.database).execute("UPDATE steps SET loss = 0.5 WHERE run_id = 1 AND step = 2")
        let out = cli.run(["verify", "1", "--json"]).out
        let rows = try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [[String: Any]]
        #expect(rows?.first?["logged"] as? Double == 0.5)
        #expect(rows?.first?["recomputed"] is Double)
        #expect(out.contains("\"logged\": 0.5,"))
    }

    @Test func compareNamesARunGivenTwiceByPositionSoNoJSONKeyRepeats() {
        let out = cli.run(["compare", "1", "1", "latest", "2", "--jsonl"]).out
        let first = out.split(separator: "\n")[0]
        #expect(first.hasPrefix("{\"field\": \"epochs\", \"epoch\": null, \"run 1\": 5, \"run 1 #2\": 5, \"run 2\": 4, \"run 2 #2\": 4}")
                || first.contains("\"run 1 #2\""), "\(first)")
        for line in out.split(separator: "\n") {
            let keys = line.components(separatedBy: "\": ").map { $0.components(separatedBy: "\"").last ?? "" }
            #expect(Set(keys).count == keys.count, "\(line)")
        }
    }

    @Test func sinceIsParsedStrictlyAndComparedInUTC() {
        let bad = cli.run(["runs", "--since", "2026-11-29Tgarbage"])
        #expect(bad.code == 64)
        #expect(bad.err.contains("--since '2026-11-29Tgarbage' is not a time: expected one of 2026-11-29,"))
        #expect(cli.run(["runs", "--since", "-1h", "--csv"]).out.split(separator: "\r\n").count == 3)
        #expect(cli.run(["runs", "--since", "2999-01-01T00:00+14:00", "--csv"]).out.split(separator: "\r\n").count == 1)
    }

    @Test func rmAsksOnATerminalUnlessYesAndSaysWhatItRemoved() {
        func rm(_ arguments: [String], answers: [String]?) -> (Int32, Console) {
            let console = Console.capturing(answers: answers)
            let code = Gradlog.execute(["rm", "--db", cli.database] + arguments, context: CommandContext(console: console, environment: [:]))
            return (code, console)
        }
        let (declined, asked) = rm(["1"], answers: ["n"])
        #expect(declined == 1)
        #expect(asked.capturedErr == "Delete 1 run (1 'lesson') with 5 steps? [y/N] Nothing was deleted.\n")
        #expect(cli.run(["runs", "--csv"]).out.contains("\r\n1,"))
        let (accepted, confirmed) = rm(["lesson"], answers: [" Yes "])
        #expect(accepted == 0)
        #expect(confirmed.capturedErr.hasSuffix("[y/N] Deleted 1 run (1 'lesson') with 5 steps.\n"))
        let (ended, endOfInput) = rm(["2"], answers: [])  // Ctrl-D
        #expect(ended == 1)
        #expect(endOfInput.capturedErr.hasSuffix("[y/N] \nNothing was deleted.\n"))
        let (forced, unasked) = rm(["2", "--yes"], answers: [])
        #expect(forced == 0)
        #expect(unasked.capturedErr == "Deleted 1 run (2) with 8 steps.\n")
        #expect(cli.run(["runs", "--csv"]).out == "id,name,status,dataset,lr,epochs,steps,epoch,latest_loss,steps_per_s,final_loss,started_at,user\r\n")
    }

    @Test func runsWatchRedrawsWhatItFindsEachTime() {
        var context = CommandContext(console: .capturing(terminal: true), environment: [:])
        context.maxRefreshes = 2
        let code = Gradlog.execute(["runs", "--watch", "--interval", "0.1", "--db", cli.database], context: context)
        #expect(code == 0)
        let out = context.console.capturedOut
        #expect(out.components(separatedBy: "\u{1B}[H\u{1B}[2JEvery 0.1 s: gradlog runs, ").count == 3)
        #expect(out.components(separatedBy: "\n 1  lesson  finished  lesson ").count == 3, "\(out)")
        #expect(cli.run(["runs", "--watch", "--csv"]).code == 64)
        #expect(cli.run(["runs", "--watch", "--interval", "0"]).code == 64)
    }

    @Test func verifyNeedsARunOrAll() {
        #expect(cli.run(["verify"]).code == 64)
        #expect(cli.run(["verify", "1", "--all"]).code == 64)
    }

    @Test func compareNeedsTwoRunsAndKnownColumns() {
        #expect(cli.run(["compare", "1"]).code == 64)
        let bad = cli.run(["compare", "1", "2", "--column", "nonsense"])
        #expect(bad.code == 64)
        #expect(bad.err.contains("choose from steps, mean_loss"))
        let extra = cli.run(["compare", "1", "2", "--column", "accuracy", "--csv"]).out
        #expect(extra.contains("\r\naccuracy,1,"))
    }

    @Test func runsFiltersBySeveralFields() {
        cli.run(["tag", "2", "group=a", "owner=bo"])
        #expect(cli.run(["runs", "--tag", "group=a", "--csv"]).out.split(separator: "\r\n").count == 2)
        #expect(cli.run(["runs", "--dataset", "lesson", "--csv"]).out.contains("\r\n1,lesson,finished"))
        #expect(cli.run(["runs", "--status", "crashed", "--csv"]).out == "id,name,status,dataset,lr,epochs,steps,epoch,latest_loss,steps_per_s,final_loss,started_at,user\r\n")
        #expect(cli.run(["runs", "--sort", "epochs", "--desc", "--limit", "1", "--csv"]).out.contains("\r\n1,"))
        #expect(cli.run(["runs", "--status", "bogus"]).code == 64)
        #expect(cli.run(["runs", "--limit", "0"]).code == 64)
        #expect(cli.run(["runs", "--since", "the day before"]).code == 64)
    }

    @Test func tagAndNoteChangeARunAfterTheFact() {
        #expect(cli.run(["tag", "1", "k=v", "x=1"]).code == 0)
        #expect(cli.run(["tag", "1", "--remove", "x"]).code == 0)
        #expect(cli.run(["note", "latest", "converges; see ✓"]).code == 0)
        let show1 = cli.run(["show", "1", "--csv"]).out
        #expect(show1.contains("tag.k,v") && !show1.contains("tag.x"))
        #expect(cli.run(["show", "2", "--csv"]).out.contains("note,converges; see ✓"))
        #expect(cli.run(["tag", "1"]).code == 64)
    }

    @Test func rmDeletesOrWithDryRunOnlyShows() {
        let dry = cli.run(["rm", "1", "--dry-run", "--csv"])
        #expect(dry.out == "id,name,status,steps\r\n1,lesson,finished,5\r\n")
        #expect(dry.err.contains("nothing was deleted"))
        #expect(cli.run(["runs", "--csv"]).out.split(separator: "\r\n").count == 3)
        #expect(cli.run(["rm", "1"]).code == 0)
        #expect(cli.run(["runs", "--csv"]).out.split(separator: "\r\n").count == 2)
        #expect(cli.run(["rm", "1"]).code == 1)
        #expect(cli.run(["vacuum"]).out.hasPrefix("vacuumed: "))
    }

    @Test func mergeCopiesWhatIsMissingOnceAndSaysWhat() throws {
        let other = cli.directory.file("other.db")
        let console = Console.capturing()
        _ = Gradlog.execute(["run", "--db", other, "--dataset", "xor", "--epochs", "3"],
                            context: CommandContext(console: console, environment: [:]))
        let merged = cli.run(["merge", other, "--csv"])
        #expect(merged.code == 0)
        #expect(merged.out.split(separator: "\r\n").count == 2)
        #expect(merged.out.hasPrefix("action,uuid,from_id,id,name,status,steps\r\ncopied,"))
        #expect(merged.out.contains(",1,3,,finished,3\r\n"))
        #expect(merged.err == "Merged from \(other): 1 copied, 0 completed, 0 skipped.\n")
        #expect(cli.run(["merge", other]).err == "Merged from \(other): 0 copied, 0 completed, 0 skipped.\n")
        #expect(cli.run(["verify", "3"]).out == "identical: 3 steps, 82 values\n")
        #expect(cli.run(["merge", cli.directory.file("absent.db")]).code == 1)
    }
}
