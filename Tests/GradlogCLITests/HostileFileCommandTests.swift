import Foundation
import SQLiteDB
import Testing
import Tracker
import Training
@testable import GradlogCLI
@testable import Output

/// The commands on files from elsewhere: a refused merge changes nothing, crafted files of every
/// kind end with a documented exit code and a message.
@Suite struct HostileFileCommandTests {
    let cli: CLIHarness

    init() throws {
        cli = try CLIHarness()
    }

    static var fixture: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/schema-v1.db").path
    }

    @Test func aRefusedMergeLeavesTheUsersDatabaseAtItsOldVersion() throws {
        try FileManager.default.copyItem(atPath: Self.fixture, toPath: cli.database)
        let foreign = cli.directory.file("foreign.db")
        try Database(path: foreign).execute("CREATE TABLE customers (id INTEGER)")
        let result = cli.run(["merge", foreign])
        #expect(result.code == 1)
        #expect(result.err.contains("not made by this program"))
        // A source whose runs do not add up is refused before the target is opened, too.
        let inconsistent = cli.directory.file("inconsistent.db")
        _ = Gradlog.execute(["run", "--db", inconsistent, "--epochs", "2"], context: CommandContext(console: .capturing(), environment: [:]))
        try Database(path: inconsistent).execute("UPDATE runs SET inputs = -3; PRAGMA wal_checkpoint(TRUNCATE)")
        let refused = cli.run(["merge", inconsistent])
        #expect(refused.code == 1 && refused.err.contains(
            "run 1 is inconsistent: it claims -3 inputs, 1 samples and 2 steps; the file was changed outside gradlog"), "\(refused.err)")
        let triggered = cli.directory.file("triggered.db")
        _ = Gradlog.execute(["run", "--db", triggered, "--epochs", "2"], context: CommandContext(console: .capturing(), environment: [:]))
        try Database(path: triggered).execute("CREATE TRIGGER t AFTER INSERT ON tags BEGIN DELETE FROM steps; END")
        let untrusted = cli.run(["merge", triggered])
        #expect(untrusted.code == 1 && untrusted.err.contains(
            "this is not the schema gradlog makes (version \(Store.migrator.latestVersion)): it has a trigger, t, that gradlog does not make; "
                + "nothing was read from or written to the file"), "\(untrusted.err)")
        let version = try Database(path: cli.database, mode: .readOnly).scalar("SELECT max(version) FROM schema_migrations")
        #expect(version == 1)
        let fresh = cli.directory.file("never-created.db")
        #expect(cli.run(["merge", inconsistent, "--db", fresh], useDatabase: false).code == 1)
        #expect(!FileManager.default.fileExists(atPath: fresh))
    }

    @Test func anEmptyFileThatAnotherGradlogJustCreatedReadsAsHavingNoRuns() throws {
        // A reader can open a new database between its creation and its schema (`runs` in one
        // terminal while the first `run` starts in another): it completes the schema and reads on.
        _ = FileManager.default.createFile(atPath: cli.database, contents: nil)
        let result = cli.run(["runs", "--csv"])
        #expect(result.code == 0)
        #expect(result.out == "id,name,status,dataset,lr,epochs,steps,epoch,latest_loss,steps_per_s,final_loss,started_at,user\r\n")
    }

    @Test func aLiveRunIsNotRemovedWithoutForce() throws {
        cli.run(["run", "--epochs", "3"])
        let me = ProcessIdentity.current
        try Database(path: cli.database).run(
            "UPDATE runs SET status = 'running', host = ?, pid = ?, process_token = ?",
            [.text(me.host), .integer(Int64(me.pid)), me.token.map { .text($0) } ?? .null])
        let result = cli.run(["rm", "1"])
        #expect(result.code == 1)
        #expect(result.err == "Error: run 1 is still training (process \(me.pid)); wait for it to end, stop it, "
            + "or give --force to stop it cleanly and then remove it\n")
        #expect(cli.run(["rm", "1", "--dry-run", "--force"]).code == 1)
        #expect(cli.run(["runs", "--csv"]).out.contains("\r\n1,"))
    }

    /// Crafted variants of a healthy database, each made by one statement.
    static let crafts = [
        "CREATE TRIGGER t AFTER INSERT ON steps BEGIN DELETE FROM runs; END",
        "CREATE TRIGGER r AFTER UPDATE ON runs BEGIN UPDATE runs SET name = name || 'x'; END",
        "ALTER TABLE steps RENAME TO s0; CREATE VIEW steps AS SELECT * FROM s0",
        "DROP TABLE epochs; CREATE VIEW epochs AS SELECT 1 AS run_id, 1 AS epoch",
        "CREATE TABLE extra (x)",
        "ALTER TABLE runs ADD COLUMN evil TEXT",
        "UPDATE params SET param = 'b\"; .shell id' WHERE param = 'b'",
        "UPDATE params SET param = 'w1'' OR 1=1 --' WHERE param = 'w1'",
        "UPDATE runs SET name = printf('%.*c', 2000000, 'n'), note = char(27) || '[2J'",
        "UPDATE steps SET loss = NULL WHERE step = 1",
        "DELETE FROM epochs WHERE epoch = 2",
        "UPDATE epochs SET steps = 7, mean_loss = -1 WHERE epoch = 1",
        "DELETE FROM gradients WHERE step = 2",
        "DELETE FROM sample_inputs WHERE sample = 1",
        "UPDATE runs SET step_count = 999",
        "UPDATE runs SET status = 'running', host = 'elsewhere', heartbeat_at = '2000-01-01T00:00:00.000Z'",
        """
        WITH RECURSIVE n(v) AS (SELECT 3 UNION ALL SELECT v + 1 FROM n WHERE v < 700)
        INSERT INTO params(run_id, param, position, input, initial) SELECT 1, 'w' || v, v, v, 0.0 FROM n
        """,
    ]

    @Test func craftedDatabasesEndWithADocumentedCodeAndAMessage() throws {
        let healthy = cli.directory.file("healthy.db")
        _ = Gradlog.execute(["run", "--db", healthy, "--dataset", "and", "--epochs", "3", "--batch-size", "2"],
                            context: CommandContext(console: .capturing(), environment: [:]))
        _ = try Database(path: healthy).execute("PRAGMA wal_checkpoint(TRUNCATE)")
        // Every craft's files are made at the same two paths, so that each command line is parsed
        // once (a parse costs tens of milliseconds in a debug build) and run against every craft.
        let crafted = cli.directory.file("crafted.db")
        let target = cli.directory.file("target.db")
        for (index, craft) in Self.crafts.enumerated() {
            for path in [crafted, target] {
                for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
            }
            try FileManager.default.copyItem(atPath: healthy, toPath: crafted)
            try Database(path: crafted).execute(craft + "; PRAGMA wal_checkpoint(TRUNCATE)")
            for arguments in [["runs"], ["show", "1"], ["report", "1", "--steps", "--csv"], ["report", "1", "--sql"],
                              ["verify", "1"], ["compare", "1", "1"], ["diff", "1", "1"], ["merge", crafted, "--db", target]] {
                let full = arguments[0] == "merge" ? arguments : [arguments[0], "--db", crafted] + arguments.dropFirst()
                let console = Console.capturing()
                let code = ParsedCommandLines.shared.execute(full, context: CommandContext(console: console, environment: [:]))
                #expect([0, 1, 2, 64].contains(code), "exit \(code) for \(craft): \(full)")
                if code != 0 && !(arguments[0] == "verify" && console.capturedOut.hasPrefix("different at")) {
                    #expect(console.capturedErr.hasPrefix("Error: ") && console.capturedErr.count < 2_000,
                            "\(craft): \(full): \(console.capturedErr.prefix(300))")
                    // A name with a line break in it is escaped: the message stays on one line.
                    #expect(console.capturedErr.filter { $0 == "\n" }.count == 1, "\(craft): \(full)")
                }
                #expect(!console.capturedOut.contains("\u{1B}"), "raw ESC in \(full) for \(craft)")
                if arguments[0] == "report" && arguments.last == "--sql" {
                    #expect(!console.capturedOut.split(separator: "\n").contains { $0.hasPrefix(".") }, "\(craft)")
                }
            }
            if index < 6 {
                let merged = cli.run(["merge", crafted, "--db", target], useDatabase: false)
                #expect(merged.code == 1 && merged.err.contains("refused"), "\(craft): \(merged.err)")
            }
        }
    }
}
