#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
@testable import GradlogCLI
@testable import Output

@Suite struct CommandTests {
    let cli: CLIHarness

    init() throws {
        cli = try CLIHarness()
    }

    @Test(arguments: [["--help"], ["run", "--help"], ["runs", "--help"], ["show", "--help"], ["report", "--help"],
                      ["verify", "--help"], ["compare", "--help"], ["diff", "--help"], ["rm", "--help"],
                      ["tag", "--help"], ["note", "--help"], ["merge", "--help"], ["vacuum", "--help"]])
    func everyCommandHasHelp(arguments: [String]) {
        let result = cli.run(arguments, useDatabase: false)
        #expect(result.code == 0)
        #expect(result.out.contains("USAGE"))
        #expect(result.err.isEmpty)
        if arguments.count > 1 { #expect(result.out.contains("--db <path>")) }
    }

    @Test func theRunCommandDocumentsEveryOption() {
        let help = cli.run(["run", "--help"], useDatabase: false).out
        for option in ["--dataset", "--loss", "--lr", "--epochs", "--batch-size", "--seed", "--eps", "--atol", "--rtol",
                       "--w <w1,w2,...>", "--b <b>", "--name", "--tag", "--csv", "--tsv", "--json", "--markdown", "--output"] {
            #expect(help.contains(option), "\(option) is missing from the help")
        }
    }

    @Test func runWithNoOptionsIsTheLesson() {
        let result = cli.run(["run"])
        #expect(result.code == 0)
        #expect(result.out.contains("status           finished"))
        #expect(result.out.contains("epochs           100"))
        #expect(result.out.contains("gradient_check   passed"))
        let show = cli.run(["show", "1", "--csv"]).out
        #expect(show.contains("dataset,lesson"))
        #expect(show.contains("w.initial,0.5"))
        #expect(show.contains("b.initial,-1.0"))
    }

    @Test(arguments: [
        (["--lr", "0"], "--lr 0.0 is not allowed: expected a finite number greater than 0"),
        (["--lr=-1"], "--lr -1.0 is not allowed"),
        (["--lr", "abc"], "The value 'abc' is invalid for '--lr <lr>'"),
        (["--epochs", "0"], "--epochs 0 is not allowed: expected a whole number of at least 1"),
        (["--batch-size", "2"], "--batch-size 2 is not allowed: expected a whole number from 1 to 1"),
        (["--eps", "0"], "--eps 0.0 is not allowed"),
        (["--atol", "-1"], "--atol -1.0 is not allowed"),
        (["--rtol", "nan"], "'nan' is not a number in decimal notation"),
        (["--w=1,2"], "--w 1.0,2.0 is not allowed: expected 1 comma-separated value(s), one per input of lesson"),
        (["--w", "x"], "The value 'x' is invalid for '--w <w1,w2,...>'"),
        (["--seed", "-1"], "The value '-1' is invalid for '--seed <seed>'"),
        (["--seed", "18446744073709551615"], "--seed 18446744073709551615 is not allowed"),
        (["--loss", "fancy"], "The value 'fancy' is invalid for '--loss <loss>'"),
        (["--tag", "novalue"], "The value 'novalue' is invalid for '--tag <key=value>'"),
        (["--dataset", "nope"], "built-ins are lesson, and, or, xor"),
    ])
    func everyBadOptionIsRefusedByNameBeforeAnythingIsWritten(arguments: [String], message: String) {
        let result = cli.run(["run"] + arguments)
        #expect(result.code == 64)
        #expect(result.err.contains(message), "\(result.err)")
        #expect(result.out.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: cli.database))
    }

    @Test func negativeValuesWorkWithAndWithoutAnEqualsSign() {
        #expect(cli.run(["run", "--epochs", "1", "--b", "-2", "--w", "-0.25"]).code == 0)
        #expect(cli.run(["run", "--epochs", "1", "--b=-2", "--w=-0.25"]).code == 0)
        let initial = cli.run(["report", "latest", "--steps", "--csv"]).out
        #expect(initial.contains(",-0.25,"))
        #expect(initial.contains(",-2.0,"))
        let two = cli.run(["run", "--dataset", "and", "--w=-0.1,0.2", "--b", "-0.3", "--epochs", "1", "--json"])
        #expect(two.code == 0)
        let show = cli.run(["show", "3", "--csv"]).out
        #expect(show.contains("w1.initial,-0.1") && show.contains("w2.initial,0.2") && show.contains("b.initial,-0.3"))
        #expect(show.contains("init,given"))
    }

    @Test func tagsAndNamesAreRecorded() {
        cli.run(["run", "--epochs", "1", "--name", "first try", "--tag", "owner=ana", "--tag", "note=a=b"])
        let show = cli.run(["show", "latest", "--csv"]).out
        #expect(show.contains("name,first try"))
        #expect(show.contains("tag.owner,ana"))
        #expect(show.contains("tag.note,a=b"))
    }

    @Test func aCSVFileTrainsAndItsProblemsNameFileLineAndColumn() throws {
        let good = cli.directory.file("good.csv")
        try "hours,slept,y\n1,8,1\n2,3,0\n".write(toFile: good, atomically: true, encoding: .utf8)
        let result = cli.run(["run", "--dataset", good, "--epochs", "3", "--batch-size", "1"])
        #expect(result.code == 0)
        #expect(result.out.contains("w1 "))
        let bad = cli.directory.file("bad.csv")
        try "hours,slept,y\n1,8,1\n2,x,0\n".write(toFile: bad, atomically: true, encoding: .utf8)
        let refused = cli.run(["run", "--dataset", bad])
        #expect(refused.code == 1)
        #expect(refused.err == "Error: \(bad):3:2 (column 'slept'): 'x' is not a finite number\n")
        let directory = cli.run(["run", "--dataset", cli.directory.path])
        #expect(directory.err.contains("it is a directory"))
    }

    @Test func runsListsEveryRun() {
        cli.run(["run", "--epochs", "2"])
        cli.run(["run", "--dataset", "or", "--epochs", "3", "--lr", "0.5"])
        let out = cli.run(["runs", "--csv"]).out.split(separator: "\r\n")
        #expect(out[0] == "id,name,status,dataset,lr,epochs,steps,epoch,latest_loss,steps_per_s,final_loss,started_at,user")
        #expect(out.count == 3)
        #expect(out[2].hasPrefix("2,,finished,or,0.5,3,"))
    }

    @Test func anEmptyDatabaseSaysHowToStart() {
        #expect(cli.run(["vacuum"]).code == 0)  // a command that writes creates the file
        let result = cli.run(["runs"])
        #expect(result.code == 0)
        #expect(result.err.contains("gradlog run"))
    }

    @Test func readingCommandsNeverCreateADatabase() {
        for command in [["runs"], ["show", "1"], ["report", "1"], ["compare", "1", "2"], ["diff", "1", "2"], ["verify", "1"]] {
            let result = cli.run(command)
            #expect(result.code == 1)
            #expect(result.err.hasPrefix("Error: there is no database at \(cli.database)"))
            #expect(!FileManager.default.fileExists(atPath: cli.database))
        }
    }

    @Test func unknownRunsAreErrorsWithAHint() {
        cli.run(["run", "--epochs", "1"])
        let missing = cli.run(["show", "5", "--db", cli.database])
        #expect(missing.code == 1)
        #expect(missing.err == "Error: no run with id 5; `gradlog runs --db \(cli.database)` lists the runs in this database\n")
        let unknown = cli.run(["report", "one", "--db", cli.database])
        #expect(unknown.code == 1)
        #expect(unknown.err == "Error: no run is 'one' (by id, latest~N, uuid or name); `gradlog runs --db \(cli.database)` lists the runs\n")
        let bad = cli.run(["report", "latest~two"])
        #expect(bad.code == 64)
        #expect(bad.err.contains("'latest~two' is not a run"))
        cli.run(["run", "--epochs", "1", "--name", "first"])
        cli.run(["run", "--epochs", "1", "--name", "twin"])
        cli.run(["run", "--epochs", "1", "--name", "twin"])
        #expect(cli.run(["show", "first", "--csv"]).out.contains("\r\nid,2\r\n"))
        #expect(cli.run(["report", "latest~2", "--csv"]).out == cli.run(["report", "first", "--csv"]).out)
        let twins = cli.run(["compare", "twin", "1"])
        #expect(twins.code == 64)
        #expect(twins.err.hasPrefix("Error: 'twin' names more than one run: 3 (twin, "))
    }

    @Test func theDatabaseComesFromTheEnvironmentWhenNotGiven() {
        let path = cli.directory.file("from-env.db")
        let result = cli.run(["run", "--epochs", "1"], useDatabase: false, environment: ["GRADLOG_DB": path])
        #expect(result.code == 0)
        #expect(FileManager.default.fileExists(atPath: path))
    }

    @Test func aDivergingRunSaysSoAndExitsWithTwo() {
        let result = cli.run(["run", "--dataset", "and", "--lr", "1e308", "--loss", "textbook"])
        #expect(result.code == 2)
        #expect(result.out.contains("diverged"))
        #expect(result.err.contains("run 1 diverged"))
        #expect(cli.run(["runs", "--csv"]).out.contains(",diverged,"))
    }

    @Test func anExcelCSVWithAByteOrderMarkAndANamedLabelColumnTrains() throws {
        let path = cli.directory.file("excel.csv")
        try Data([0xEF, 0xBB, 0xBF] + Array("y,hours\n0,1\n1,5\n".utf8)).write(to: URL(fileURLWithPath: path))
        #expect(cli.run(["run", "--dataset", path, "--epochs", "2", "--csv"]).code == 0)
        #expect(cli.run(["show", "1", "--csv"]).out.contains("\r\nw.initial,"))
        let named = cli.directory.file("named.csv")
        try "hours,passed,slept\n1,0,8\n5,1,6\n".write(toFile: named, atomically: true, encoding: .utf8)
        #expect(cli.run(["run", "--dataset", named, "--label", "passed", "--epochs", "2"]).code == 0)
        #expect(cli.run(["show", "2", "--csv"]).out.contains("\r\nw2.initial,"))
        let builtIn = cli.run(["run", "--label", "y"])
        #expect(builtIn.code == 64)
        #expect(builtIn.err.contains("--label y is not allowed"))
    }

    @Test func aRunShowsAProgressLineOnATerminalOnlyAndErasesIt() {
        func run(_ arguments: [String], terminal: Bool) -> Console {
            let console = Console.capturing(errorTerminal: terminal)
            _ = Gradlog.execute(["run", "--db", cli.database, "--epochs", "600"] + arguments,
                                context: CommandContext(console: console, environment: [:]))
            return console
        }
        let shown = run([], terminal: true)
        #expect(shown.capturedErr.hasPrefix("\rstep 256/600  42.6%  "), "\(shown.capturedErr)")
        #expect(shown.capturedErr.contains("steps/s  ETA ") && shown.capturedErr.contains("  loss 0.0"))
        #expect(shown.capturedErr.hasSuffix("\r\u{1B}[K"))
        #expect(shown.capturedOut.hasPrefix("field"))
        #expect(run(["--quiet"], terminal: true).capturedErr.isEmpty)
        let narrow = Console.capturing(errorTerminal: true, columns: 40)
        _ = Gradlog.execute(["run", "--db", cli.database, "--epochs", "600"], context: CommandContext(console: narrow, environment: [:]))
        let drawn = narrow.capturedErr.split(separator: "\r").map { $0.replacing("\u{1B}[K", with: "") }
        #expect(drawn.contains { $0.hasPrefix("step 256/600") })
        #expect(drawn.allSatisfy { $0.count < 40 }, "\(drawn)")
        #expect(run([], terminal: false).capturedErr.isEmpty)
        let verify = Console.capturing(errorTerminal: true)
        _ = Gradlog.execute(["verify", "--all", "--db", cli.database], context: CommandContext(console: verify, environment: [:]))
        #expect(verify.capturedErr.hasPrefix("\rverifying run 1 (1 of 4)… 0:00\u{1B}[K"))
        #expect(verify.capturedOut.hasPrefix("run 1: identical"))
    }

    @Test func progressFiguresReadWell() {
        #expect(ProgressLine.grouped(1_234_567) == "1,234,567")
        #expect(ProgressLine.grouped(999) == "999")
        #expect(ProgressLine.duration(3_725) == "1:02:05")
        #expect(ProgressLine.duration(65) == "1:05")
        #expect(ProgressLine.shortNumber(0.0000123456) == "1.235e-5")
        #expect(ProgressLine.shortNumber(0.69314718) == "0.6931")
        #expect(ProgressLine.percent(0.4266) == "42.6%")
    }

    @Test func afterCtrlCOnATerminalTheSummaryStartsOnAFreshLine() {
        #expect(Gradlog.Run.summaryLead(signal: SIGINT, terminal: true) == "\n")
        #expect(Gradlog.Run.summaryLead(signal: SIGINT, terminal: false) == "")
        #expect(Gradlog.Run.summaryLead(signal: SIGTERM, terminal: true) == "")
        #expect(Gradlog.Run.summaryLead(signal: nil, terminal: true) == "")
        let console = Console.capturing(terminal: true)
        _ = Gradlog.execute(["run", "--epochs", "1", "--db", cli.database], context: CommandContext(console: console, environment: [:]))
        #expect(console.capturedOut.hasPrefix("field"))
    }

    @Test func aConfidentCorrectPositivePassesItsGradientCheck() {
        let result = cli.run(["run", "--w=20", "--b=0", "--epochs", "1", "--csv"])
        let fields = result.out.split(separator: "\r\n")[1].split(separator: ",", omittingEmptySubsequences: false)
        #expect(Double(fields[10]).map { $0 < 1e-6 } == true, "worst_rel_error \(fields[10])")
        #expect(fields[12] == "passed")
        #expect(cli.run(["verify", "latest"]).code == 0)
        #expect(cli.run(["show", "latest", "--csv"]).out.contains("\"\"residual\"\":\"\"exact\"\""))
    }

    @Test func aTextbookLossSaturatedFromTheStartSaysWhyAndSuggestsTheStableForm() {
        let result = cli.run(["run", "--loss", "textbook", "--w=400", "--b=0", "--epochs", "3"])
        #expect(result.code == 2)
        #expect(result.err == "Error: run 1 diverged: the textbook loss at step 1 is nan: its log(0) where the neuron is "
            + "saturated (the sigmoid rounded to 0 or 1 at finite parameters); the stable loss stays finite there; "
            + "every step up to there is logged (try --loss stable)\n")
        #expect(cli.run(["run", "--loss", "stable", "--w=400", "--b=0", "--epochs", "3"]).code == 0)
        let later = cli.run(["run", "--dataset", "and", "--lr", "1e308", "--loss", "textbook"])
        #expect(later.err.hasSuffix("(try a smaller --lr)\n"))
    }

    @Test func aLossThatIsNotFiniteAtTheInitialParametersDoesNotBlameTheLearningRate() {
        let result = cli.run(["run", "--w=1.7e308", "--b=-1.7e308", "--epochs", "3"])
        #expect(result.code == 2)
        #expect(result.err.contains("the loss at step 1 is nan") && !result.err.contains("--lr"), "\(result.err)")
        #expect(result.err.hasSuffix("(at the initial parameters, before any update: not the learning rate; check --w, --b or --init)\n"))
    }

    @Test func reportCanPrintItsSQLForTheSQLiteShell() {
        cli.run(["run", "--epochs", "1"])
        let sql = cli.run(["report", "1", "--sql"]).out
        #expect(sql.contains("WHERE e.run_id = 1"))
        #expect(sql.contains("AS \"w\""))
        #expect(!sql.contains("{param}") && !sql.contains("{n}"))
    }

    @Test func aNonDatabaseFileIsRefusedClearly() throws {
        try "hello".write(toFile: cli.database, atomically: true, encoding: .utf8)
        let result = cli.run(["runs"])
        #expect(result.code == 1)
        #expect(result.err.contains("file is not a database"))
    }
}
