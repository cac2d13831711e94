import Charts
import Foundation
import PostgresDB
import TestSupport
import Testing
import Tracker
@testable import GradlogCLI

/// The reading commands on a team store (`--store`, or `GRADLOG_STORE`): the store read in place
/// prints what the same command prints on a file that pulled every run, byte for byte, in every
/// format. A fresh database per test.
@Suite(.enabled(if: PostgresTestServer.shouldRun, Comment(rawValue: PostgresTestServer.skipReason)))
struct TeamStoreReadingTests {
    let cli: CLIHarness
    let pulled: CLIHarness
    let store: String

    init() throws {
        cli = try CLIHarness()
        pulled = CLIHarness.sharing(cli.directory, name: "pulled.db")
        store = try PostgresTestServer.freshDatabase()
    }

    /// Pushes every kind of run (with a sweep's tags on two of them) and pulls them all into a second file.
    private func pushAndPullEveryKindOfRun() throws {
        try cli.logEveryKindOfRun()
        for (run, trial) in [("1", "1"), ("2", "2")] {
            #expect(cli.run(["tag", run, "sweep=s1", "trial=\(trial)", "sweep.lr=0.\(trial)", "sweep.grid=g", "sweep.trials=2"]).code == 0)
        }
        #expect(cli.run(["push", store, "--all"]).code == 0)
        #expect(pulled.run(["pull", store, "--all"]).code == 0)
    }

    /// The command's output and exit code on the pulled file and on the store, named by GRADLOG_DB
    /// and GRADLOG_STORE: one command line, parsed once, for both (`--store` is the other tests'), and
    /// hints that name neither, as the environment names them.
    private func bothWays(_ arguments: [String]) -> (file: CLIHarness.Result, store: CLIHarness.Result) {
        (pulled.run(arguments), pulled.run(arguments, useDatabase: false, environment: ["GRADLOG_STORE": store]))
    }

    private func expectSame(_ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) {
        let (file, read) = bothWays(arguments)
        #expect(file.code == read.code, "\(arguments): exit \(file.code) on the file, \(read.code) on the store: \(read.err)",
                sourceLocation: sourceLocation)
        #expect(file.out == read.out, "\(arguments): the output differs", sourceLocation: sourceLocation)
        #expect(file.err == read.err, "\(arguments): standard error differs", sourceLocation: sourceLocation)
        #expect(!file.out.isEmpty || file.code != 0, "\(arguments) printed nothing", sourceLocation: sourceLocation)
    }

    @Test func everyReadingCommandPrintsTheSameBytesFromTheStoreAsFromAPulledFile() throws {
        try pushAndPullEveryKindOfRun()
        #expect(pulled.run(["sweep", "show", "s1", "--csv", "--db", pulled.database], useDatabase: false).code == 0)
        // The writers are the file's; what the store could change is a value or its type, which CSV
        // (every digit) and JSON (integer, real, text, null) show: every format once, those two for all.
        let formats = ["--table", "--csv", "--tsv", "--json", "--jsonl", "--markdown"]
        for format in formats {
            expectSame(["runs", format])
            expectSame(["report", "7", "--steps", format])
        }
        expectSame(["sweep", "show", "s1", "--csv"])
        expectSame(["compare", "1", "2", "5", "--json"])
        let runs = (1...7).map(String.init)
        for run in runs {
            for format in ["--csv", "--json"] {
                expectSame(["show", run, format])
                expectSame(["report", run, format])
                expectSame(["report", run, "--steps", format])
            }
            expectSame(["report", run, "--layers", "--csv"])
        }
        // Pages and charts read runs 1 to 5 on demand (`Store.loadOnDemand`), 6 and 7 (with metrics) whole.
        for run in runs { expectSame(["report", run, "--html", "--output", "-"]) }
        expectSame(["report", "5", "--steps", "--sql"])
        expectSame(["plot", "5", "--output", "-"])
        expectSame(["plot", "2", "--chart", "params", "--output", "-"])
        expectSame(["plot", "4", "--chart", "gradcheck", "--steps", "--from", "10", "--to", "250", "--output", "-"])
        expectSame(["plot", "1", "--steps", "--from", "5", "--to", "30", "--output", "-"])
        expectSame(["plot", "7", "--chart", "params", "--steps", "--output", "-"])
        expectSame(["diff", "1", "4", "--csv"])
        expectSame(["diff", "6", "7", "--csv"])
        expectSame(["report", "5", "--steps", "--param", "l1.*", "--csv"])
        expectSame(["report", "1", "2", "--html", "--output", "-"])
        expectSame(["report", "--html", "--tag", "sweep=s1", "--output", "-"])
        expectSame(["plot", "--tag", "sweep=s1", "--chart", "accuracy", "--output", "-"])
        expectSame(["runs", "--tag", "kind=lesson", "--sort", "final_loss", "--metric", "val_loss", "--csv"])
        // Refusals say the same: an unknown run, a parameter no run has, a sweep no run belongs to.
        expectSame(["report", "99"])
        expectSame(["report", "1", "--param", "nothing*"])
        expectSame(["sweep", "show", "none"])
    }

    /// A long run's charts read in place copy only the rows their blocks' summaries leave to read
    /// (`Store.loadOnDemand`): every chart the pages draw, whole and zoomed, at widths where whole
    /// blocks fall into one pixel column, equals the same chart read from the pulled file.
    @Test func chartsOfALongRunReadInPlaceCopyOnlyWhatTheSummariesLeaveAndEqualTheFiles() throws {
        let steps = 12_000
        #expect(cli.run(["run", "--epochs", "\(steps)", "--quiet"]).code == 0)
        #expect(cli.run(["push", store, "--all"]).code == 0)
        #expect(pulled.run(["pull", store, "--all"]).code == 0)
        let file = try Store(path: pulled.database, access: .read)
        let read = try StoreSnapshot.open(try TeamStore(url: store, access: .pull), in: cli.directory.path)
        try read.loadOnDemand([1])
        let names = try RunCatalog(store: file).parameterNames(of: 1)
        // Zoomed as the commands zoom: the envelope clipped to the range, and only the range read.
        for (domain, range) in [(1.0...Double(steps), nil), (4321.0...9876.0, Int64(4321)...9876)] {
            for width in [7, 19] {
                let shape = Envelope(width: width, xDomain: domain, clipped: range != nil)
                for quantity in [ChartReader.Quantity.loss, .accuracy, .figure("worst_rel_error")] {
                    var (a, b) = (shape, shape)
                    try ChartReader(store: file).read(quantity, of: 1, steps: false, in: range, into: &a)
                    try ChartReader(store: read).read(quantity, of: 1, steps: false, in: range, into: &b)
                    #expect(a.columns == b.columns, "\(quantity) over \(domain) in \(width) columns")
                }
                for (errors, perStep) in [(false, false), (false, true), (true, true)] {
                    var (a, b) = (GroupBands(count: 2, shapedLike: shape), GroupBands(count: 2, shapedLike: shape))
                    try ChartReader(store: file).readEveryParameter(names, of: 1, errors: errors, steps: perStep, into: &a, groups: [0, 1])
                    try ChartReader(store: read).readEveryParameter(names, of: 1, errors: errors, steps: perStep, into: &b, groups: [0, 1])
                    #expect(a.ranges.map(\.columns) == b.ranges.map(\.columns), "errors \(errors), per step \(perStep) over \(domain)")
                    #expect(a.medians.map(\.columns) == b.medians.map(\.columns), "medians: errors \(errors) over \(domain)")
                }
            }
            if range == nil {
                // The whole run in 7 and 19 columns: blocks across two columns are summed up by the
                // server on either side, so the rows copied are those of the blocks at the run's two
                // ends (not within the domain whole) and, for the steps, one per column and series
                // for the medians: a few hundred of 12,000 epochs and steps.
                let copied = try read.db.namedRows("SELECT (SELECT count(*) FROM epochs) AS epochs, (SELECT count(DISTINCT step) FROM gradients) AS steps")[0]
                let (epochs, steps): (Int64, Int64) = (try copied["epochs"], try copied["steps"])
                #expect(epochs > 0 && epochs <= 2 * 256, "\(epochs) epochs copied")
                #expect(steps > 0 && steps <= 2 * 256 + 3 * (7 + 19), "\(steps) steps copied")
            }
        }
        // Zoomed into in 19 columns, too narrow for summaries to pay: the rows of the range itself too.
        #expect(try read.db.scalar("SELECT count(*) FROM epochs WHERE epoch BETWEEN 4321 AND 9876") == .integer(9876 - 4321 + 1))
    }

    /// Reports read in place join a run's rows in two ways (`StoreReport`): a stream of its steps or
    /// epochs merged with its gradients, or the server's plan for a run with few epochs. Both against
    /// the file, on runs the kinds above leave out: gaps without metrics, and long and short epochs.
    @Test func reportsOfRunsWithGapsAndOfLongEpochsReadTheSameFromTheStore() throws {
        // Values on some steps only: the epoch after a gap shows NULL, the last one the final value.
        let sparse = stride(from: 10, through: 100, by: 10).map { step in
            let params = (step % 20 == 0 ? [#""w": \#(Double(step) / 100)"#] : []) + (step >= 50 ? [#""b": -\#(step)"#] : [])
            let gradients = step == 60 ? #", "analytic": {"b": 1, "w": 2}, "numeric": {"w": 2, "b": 1.5}"# : ""
            return #"{"step": \#(step), "loss": \#(1 / Double(step))"#
                + (params.isEmpty ? "" : #", "params": {\#(params.joined(separator: ", "))}"#) + gradients + "}"
        }
        #expect(cli.run(["log", "--name", "gaps"], input: (sparse + [#"{"end": "finished"}"#]).joined(separator: "\n") + "\n").code == 0)
        let csv = cli.directory.file("ten.csv")
        try ("x1,x2,y\n" + (0..<10).map { "\($0 % 3),\($0 % 2),\($0 % 2)\n" }.joined()).write(toFile: csv, atomically: true, encoding: .utf8)
        // Ten steps an epoch (fewer than one in eight ends an epoch) and five (more).
        #expect(cli.run(["run", "--dataset", csv, "--epochs", "12", "--batch-size", "1"]).code == 0)
        #expect(cli.run(["run", "--dataset", csv, "--epochs", "12", "--batch-size", "2", "--check-every", "3"]).code == 0)
        #expect(cli.run(["push", store, "--all"]).code == 0)
        #expect(pulled.run(["pull", store, "--all"]).code == 0)
        for run in ["1", "2", "3"] {
            for format in ["--csv", "--json"] {
                expectSame(["report", run, format])
                expectSame(["report", run, "--steps", format])
            }
        }
        expectSame(["report", "3", "--param", "b", "--csv"])
        expectSame(["report", "3", "--steps", "--param", "w*", "--csv"])
    }

    @Test func aRunningRunWhosePushesStoppedIsShownStaleWhenTheStoreIsReadInPlace() throws {
        #expect(cli.run(["run", "--epochs", "5"]).code == 0)
        #expect(cli.run(["push", store, "--all"]).code == 0)
        let owner = try PostgresTestServer.connect(store)
        try owner.execute("UPDATE runs SET status = 'running', heartbeat_at = '2020-01-01T00:00:00.000Z', ended_at = NULL")
        let listed = cli.run(["runs", "--tsv", "--store", store], useDatabase: false)
        #expect(listed.code == 0, "\(listed.err)")
        #expect(listed.out.split(separator: "\n").last?.split(separator: "\t", omittingEmptySubsequences: false)[2] == "stale", "\(listed.out)")
        let shown = cli.run(["show", "1", "--tsv", "--store", store], useDatabase: false)
        #expect(shown.out.contains("\nstatus\tstale\n"), "\(shown.out)")
        // A heartbeat of now is a run still pushing: running.
        try owner.execute("UPDATE runs SET heartbeat_at = to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')")
        #expect(cli.run(["show", "1", "--tsv", "--store", store], useDatabase: false).out.contains("\nstatus\trunning\n"))
    }

    @Test func theStoreComesFromStoreOrGRADLOGSTOREAndNeverTogetherWithAFile() throws {
        #expect(cli.run(["run", "--epochs", "3", "--name", "here"]).code == 0)
        #expect(cli.run(["push", store, "--all"]).code == 0)
        let fromEnvironment = cli.run(["runs", "--tsv"], useDatabase: false, environment: ["GRADLOG_STORE": store])
        #expect(fromEnvironment.code == 0, "\(fromEnvironment.err)")
        #expect(fromEnvironment.out.contains("\there\t"))
        let both = cli.run(["runs", "--db", cli.database, "--store", store], useDatabase: false)
        #expect(both.code == 64 && both.err.contains("give --db or --store, not both"), "\(both.err)")
        let twoVariables = cli.run(["runs"], useDatabase: false, environment: ["GRADLOG_STORE": store, "GRADLOG_DB": cli.database])
        #expect(twoVariables.code == 64 && twoVariables.err.contains("both GRADLOG_DB and GRADLOG_STORE are set"), "\(twoVariables.err)")
        // --db wins over GRADLOG_STORE: the file named is read.
        let withFile = cli.run(["runs", "--tsv", "--db", cli.database], useDatabase: false, environment: ["GRADLOG_STORE": store])
        #expect(withFile.code == 0 && withFile.out.contains("\there\t"))
    }

    @Test func twoStoresInTwoSchemasOfOneDatabaseAreReadInPlaceEachByItsSchema() throws {
        #expect(cli.run(["run", "--epochs", "3", "--name", "in-gradlog"]).code == 0)
        #expect(cli.run(["push", store, "1"]).code == 0)
        #expect(cli.run(["run", "--epochs", "4", "--name", "in-team-b"]).code == 0)
        #expect(cli.run(["push", store, "2", "--schema", "team b"]).code == 0)
        let first = cli.run(["runs", "--tsv", "--store", store], useDatabase: false)
        #expect(first.code == 0 && first.out.contains("\tin-gradlog\t") && !first.out.contains("in-team-b"), "\(first.out)\(first.err)")
        let second = cli.run(["report", "1", "--csv", "--store", store, "--schema", "team b"], useDatabase: false)
        #expect(second.code == 0 && second.out.split(separator: "\r\n").count == 5, "\(second.out)\(second.err)")
        // Before the subcommand, as --db may be.
        let before = cli.run(["--store", store, "--schema", "team b", "runs", "--tsv"], useDatabase: false)
        #expect(before.code == 0 && before.out.contains("\tin-team-b\t"), "\(before.err)")
        let onAFile = cli.run(["runs", "--schema", "gradlog"])
        #expect(onAFile.code == 64 && onAFile.err.contains("give --store too"), "\(onAFile.err)")
    }

    @Test func aStoreThatCannotBeReadIsRefusedWithExitCodeTwoAndLeavesNoTemporaryFile() throws {
        let noSchema = cli.run(["runs", "--store", store], useDatabase: false)
        #expect(noSchema.code == 2, "\(noSchema.err)")
        #expect(noSchema.err.contains("no gradlog"), "\(noSchema.err)")
        let unreachable = cli.run(["show", "1", "--store", "host=/nonexistent dbname=x connect_timeout=2"], useDatabase: false)
        #expect(unreachable.code == 2 && unreachable.err.hasPrefix("Error: "), "\(unreachable.err)")
        #expect(cli.run(["run", "--epochs", "3"]).code == 0)
        #expect(cli.run(["push", store, "--all"]).code == 0)
        // The snapshot goes in $TMPDIR, and is gone when the command ends.
        let temporary = cli.directory.file("tmp")
        try FileManager.default.createDirectory(atPath: temporary, withIntermediateDirectories: false)
        let environment = ["TMPDIR": temporary]
        #expect(cli.run(["report", "1", "--steps", "--store", store], useDatabase: false, environment: environment).code == 0)
        #expect(cli.run(["diff", "1", "1", "--store", store], useDatabase: false, environment: environment).code == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: temporary).isEmpty)
        // One left by a killed command (its process is gone) is removed by the next.
        let leftover = temporary + "/.gradlog-store.db.snapshot-999999999-x"
        #expect(FileManager.default.createFile(atPath: leftover, contents: Data()))
        #expect(cli.run(["runs", "--store", store], useDatabase: false, environment: environment).code == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: temporary).isEmpty)
    }
}
