import Foundation
import Testing
@testable import GradlogCLI

/// `--db` before the subcommand, and hints that name the database this command was given, so that
/// a command gradlog prints works as printed.
@Suite struct DatabaseHintTests {
    let cli: CLIHarness

    init() throws {
        cli = try CLIHarness()
    }

    @Test func theDatabaseOptionMayComeBeforeTheSubcommand() {
        #expect(cli.run(["--db", cli.database, "run", "--epochs", "2"], useDatabase: false).code == 0)
        let listed = cli.run(["--db=\(cli.database)", "runs", "--tsv"], useDatabase: false)
        #expect(listed.code == 0 && listed.out.split(separator: "\n").count == 2, "\(listed.err)")
        let missing = cli.run(["--db", cli.database, "sweep", "show", "nope"], useDatabase: false)
        #expect(missing.code == 1 && missing.err.contains("sweep 'nope'"), "\(missing.err)")
    }

    @Test func everyHintNamesTheDatabaseGivenWithTheOption() {
        #expect(cli.run(["run", "--epochs", "2"]).code == 0)
        let quoted = cli.database.contains(" ") ? "'\(cli.database)'" : cli.database
        for (arguments, hint) in [(["show", "9"], "`gradlog runs --db \(quoted)`"),
                                  (["report", "1", "--param", "zz*"], "`gradlog show 1 --db \(quoted)`"),
                                  (["runs", "--tag", "a=b"], "`gradlog run --db \(quoted)`")] {
            let result = cli.run(arguments + ["--db", cli.database])
            #expect(result.err.contains(hint), "\(arguments): \(result.err)")
        }
        // Without --db, the database comes from GRADLOG_DB or the default, as the hint's command finds it.
        let fromEnvironment = cli.run(["show", "9"], useDatabase: false, environment: ["GRADLOG_DB": cli.database])
        #expect(fromEnvironment.err.contains("`gradlog runs` lists"), "\(fromEnvironment.err)")
    }
}
