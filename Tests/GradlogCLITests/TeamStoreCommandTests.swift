import Foundation
import PostgresDB
import SQLiteDB
import TestSupport
import Testing
import Tracker
import Training
@testable import GradlogCLI

/// `gradlog push` and `gradlog pull` against a real PostgreSQL server, a fresh database per test.
@Suite(.enabled(if: PostgresTestServer.shouldRun, Comment(rawValue: PostgresTestServer.skipReason)))
struct TeamStoreCommandTests {
    let cli: CLIHarness
    let other: CLIHarness
    let store: String

    init() throws {
        cli = try CLIHarness()
        other = CLIHarness.sharing(cli.directory, name: "pulled.db")
        store = try PostgresTestServer.freshDatabase()
    }

    @Test func everyKindOfRunComesBackFromAPushAndAPullBitForBit() throws {
        try cli.logEveryKindOfRun()
        let pushed = cli.run(["push", store, "--all", "--csv"])
        #expect(pushed.code == 0, "\(pushed.err)")
        #expect(pushed.out.split(separator: "\n").dropFirst().allSatisfy { $0.hasPrefix("pushed,") })
        #expect(pushed.err == "Pushed to the store: 7 pushed, 0 appended, 0 updated, 0 unchanged, 0 skipped.\n")
        let pulled = other.run(["pull", store, "--all"])
        #expect(pulled.code == 0, "\(pulled.err)")
        #expect(pulled.err == "Pulled from the store: 7 pulled, 0 replaced, 0 unchanged, 0 skipped.\n")
        let verified = other.run(["verify", "--all"])
        #expect(verified.code == 0, "\(verified.out)\(verified.err)")
        #expect(verified.out.components(separatedBy: "identical").count == 6)
        try expectSameRows(cli.database, other.database)
    }

    @Test func pushingAndPullingAgainCopiesNothing() throws {
        #expect(cli.run(["run", "--epochs", "20"]).code == 0)
        #expect(cli.run(["push", store, "--all"]).code == 0)
        let again = cli.run(["push", store, "--all", "--csv"])
        #expect(again.out.contains("unchanged,"))
        #expect(again.out.contains(",finished,20,0"))
        #expect(try count("steps") == 20 && count("gradients") == 40 && count("runs") == 1)
        #expect(other.run(["pull", store, "--all"]).code == 0)
        let pulledAgain = other.run(["pull", store, "--all", "--csv"])
        #expect(pulledAgain.out.contains("unchanged,"), "\(pulledAgain.out)")
        #expect(try Database(path: other.database).scalar("SELECT count(*) FROM steps") == .integer(20))
        // A note, a name or a tag changed here is an update, sent without a step.
        #expect(cli.run(["tag", "1", "reviewed=yes"]).code == 0)
        let tagged = cli.run(["push", store, "1", "1", "latest", "--csv"])
        #expect(tagged.out.split(separator: "\r\n").count == 2 && tagged.out.contains("updated,"), "\(tagged.out)")
        #expect(try PostgresTestServer.connect(store).query("SELECT value FROM tags WHERE key = 'reviewed'").scalar == "yes")
        #expect(cli.run(["push", store, "1", "--csv"]).out.contains("unchanged,"))
    }

    @Test func aRunStillTrainingIsPushedSoFarAndTheNextPushAppendsTheRest() throws {
        var config = TrainingConfig()
        config.epochs = 700
        var steps = 0
        var during: CLIHarness.Result?
        let outcome = try RunExecutor.execute(
            RunRequest(dataset: .lesson, config: config), in: try Store(path: cli.database), commitInterval: 0,
            stopRequested: {
                steps += 1
                if steps == 300 { during = cli.run(["push", store, "latest", "--csv"]) }
                return nil
            })
        #expect(outcome.status == .finished)
        #expect(during?.code == 0)
        #expect(during?.out.contains("pushed,") == true && during?.out.contains(",running,") == true)
        #expect(try count("steps") == 299 || count("steps") == 300)
        // Running in the store: only the machine that trains it can end it, so pull leaves it for
        // later, even when its heartbeat there is old (it may have been pushed long ago).
        #expect(other.run(["pull", store, "--all", "--csv"]).out.contains("skipped,"))
        try PostgresTestServer.connect(store).execute("UPDATE runs SET heartbeat_at = '2000-01-01T00:00:00.000Z'")
        #expect(other.run(["pull", store, "--all", "--csv"]).out.contains("skipped,"))
        let after = cli.run(["push", store, "latest", "--csv"])
        #expect(after.out.contains("appended,") && after.out.contains(",finished,700,"), "\(after.out)")
        #expect(try count("steps") == 700 && count("gradients") == 1400 && count("epochs") == 700)
        // The block of epochs 257-512 pushed while running, then the ones after it.
        #expect(try count("epoch_blocks") == 3)
        #expect(other.run(["pull", store, "--all", "--csv"]).out.contains("pulled,"))
        // A shorter copy here (as merging a file with a crashed copy of it would leave) is completed.
        try Database(path: other.database).execute("UPDATE runs SET step_count = 10, status = 'crashed'")
        let replaced = other.run(["pull", store, "--all", "--csv"])
        #expect(replaced.out.contains("replaced,") && replaced.out.contains(",finished,700,"), "\(replaced.out)")
        #expect(other.run(["verify", "latest"]).code == 0)
        try expectSameRows(cli.database, other.database)
    }

    @Test func pullNeverReplacesAFinishedRunHereWithAnotherRunOfItsUUID() throws {
        #expect(cli.run(["run", "--epochs", "30", "--lr", "0.5"]).code == 0)
        #expect(cli.run(["push", store, "--all"]).code == 0)
        #expect(other.run(["run", "--epochs", "5"]).code == 0)
        let uuid = try Database(path: cli.database).scalar("SELECT uuid FROM runs")
        try Database(path: other.database).run("UPDATE runs SET uuid = ?", [uuid ?? .null])
        let before = try Database(path: other.database).rows("SELECT uuid, status, lr, step_count FROM runs")
        let pulled = other.run(["pull", store, "--all", "--csv"])
        #expect(pulled.code == 1)
        #expect(pulled.out.contains("refused,"), "\(pulled.out)")
        #expect(pulled.err.contains("of the store (uuid") && pulled.err.contains("is not the same run"), "\(pulled.err)")
        #expect(try Database(path: other.database).rows("SELECT uuid, status, lr, step_count FROM runs") == before)
        #expect(try Database(path: other.database).scalar("SELECT count(*) FROM steps") == .integer(5))
    }

    @Test func pullChoosesRunsByUuidPrefixOrTagAndNamesAnUnknownOne() throws {
        #expect(cli.run(["run", "--epochs", "3", "--tag", "sweep=a1"]).code == 0)
        #expect(cli.run(["run", "--epochs", "4"]).code == 0)
        #expect(cli.run(["push", store, "--all"]).code == 0)
        let uuid = try #require(try Database(path: cli.database).scalar("SELECT uuid FROM runs WHERE id = 2")?.stringValue)
        #expect(other.run(["pull", store, String(uuid.prefix(8))]).code == 0)
        #expect(other.run(["pull", store, "--tag", "sweep=a1", "--tag", "nope=1"]).err.contains("tags 'sweep=a1' and 'nope=1'"))
        #expect(other.run(["pull", store, "--tag", "sweep=a1"]).code == 0)
        #expect(try Database(path: other.database).rows("SELECT epochs FROM runs ORDER BY id") == [[4], [3]])
        let unknown = other.run(["pull", store, "ffffffff"])
        #expect(unknown.code == 2)
        #expect(unknown.err.contains("no run in the store has the uuid 'ffffffff'"))
        let third = CLIHarness.sharing(cli.directory, name: "third.db")
        let noTag = third.run(["pull", store, "--tag", "sweep=typo"])
        #expect(noTag.code == 2 && noTag.err.contains("no run in the store has the tag 'sweep=typo'"), "\(noTag.err)")
        #expect(third.run(["pull", store, "ffffffff"]).code == 2)
        #expect(!FileManager.default.fileExists(atPath: third.database))
        let pushNoTag = cli.run(["push", store, "--tag", "sweep=typo"])
        #expect(pushNoTag.code == 1 && pushNoTag.err.contains("no run of this database has the tag 'sweep=typo'"))
        #expect(other.run(["pull", store]).code == 64)
    }

    @Test func unusableStoresAreRefusedWithExitCodeTwoAndNothingChanges() throws {
        #expect(cli.run(["run", "--epochs", "3"]).code == 0)
        let base = try PostgresTestServer.server.get()
        let foreign = try PostgresTestServer.freshDatabase()
        // Another program's table in gradlog's schema (in another schema, it would be no concern of gradlog's).
        try PostgresTestServer.connect(foreign).execute("CREATE SCHEMA gradlog; CREATE TABLE gradlog.invoices (id int)")
        let newer = try PostgresTestServer.freshDatabase()
        #expect(cli.run(["push", newer, "--all"]).code == 0)
        try PostgresTestServer.connect(newer).execute(
            "INSERT INTO schema_migrations VALUES (99, 'future', '2030-01-01')")
        let cases: [(String, String)] = [
            ("host=/nonexistent-gradlog-socket dbname=gradlog", "cannot connect"),
            (base.replacingOccurrences(of: "user=", with: "user=nosuchrole_"), "cannot connect"),
            ("postgresql://me:secret@localhost/gradlog", "(the connection string given): the connection string holds a password"),
            (base + " password=secret", "holds a password"),
            ("host='unterminated", "not a libpq connection string"),
            (foreign, "belongs to another program"),
            (newer, "schema version 99"),
        ]
        for (url, words) in cases {
            for command in [["push", url, "--all"], ["pull", url, "--all"]] {
                let result = (command[0] == "push" ? cli : other).run(command)
                #expect(result.code == 2, "\(command)")
                #expect(result.err.contains(words), "\(command): \(result.err)")
                #expect(!result.err.contains("secret"))
            }
        }
        #expect(!FileManager.default.fileExists(atPath: other.database))
        let foreignTables = try PostgresTestServer.connect(foreign).query(
            "SELECT string_agg(schemaname || '.' || tablename, ',') FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')").scalar
        #expect(foreignTables == "gradlog.invoices")
        let empty = try PostgresTestServer.freshDatabase()
        let nothingPushed = other.run(["pull", empty, "--all"])
        #expect(nothingPushed.code == 2 && nothingPushed.err.contains("holds no gradlog runs yet"))
    }

    @Test func aRunWhoseRowsWereEditedInTheStoreIsRefusedAndThisFileKeepsNothingOfIt() throws {
        #expect(cli.run(["run", "--epochs", "5"]).code == 0)
        #expect(cli.run(["push", store, "--all"]).code == 0)
        try PostgresTestServer.connect(store).execute("DELETE FROM gradients WHERE step = 3 AND param = 'w'")
        #expect(other.run(["run", "--epochs", "2"]).code == 0)
        let pulled = other.run(["pull", store, "--all"])
        #expect(pulled.code == 1)
        #expect(pulled.err.contains("is inconsistent"), "\(pulled.err)")
        #expect(try Database(path: other.database).scalar("SELECT count(*) FROM runs") == .integer(1))
    }

    @Test func thePostgreSQLSchemaHasTheSQLiteSchemasTablesViewsAndColumns() throws {
        #expect(cli.run(["run", "--epochs", "1"]).code == 0)
        #expect(cli.run(["push", store, "--all"]).code == 0)
        let sqlite = try Database(path: cli.database)
        let objects = try sqlite.rows(
            "SELECT name FROM sqlite_schema WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%' ORDER BY name")
            .compactMap { $0[0].stringValue }
        let postgres = try PostgresTestServer.connect(store)
        let remoteObjects = try postgres.query(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'gradlog' ORDER BY table_name")
            .rows.compactMap { $0[0] }
        #expect(remoteObjects == objects)
        for object in objects {
            let columns = try sqlite.rows("SELECT name FROM pragma_table_xinfo(?) ORDER BY cid", [.text(object)])
                .compactMap { $0[0].stringValue }
            let remote = try postgres.query(
                "SELECT column_name FROM information_schema.columns WHERE table_schema = 'gradlog' AND table_name = $1 ORDER BY ordinal_position",
                [object]).rows.compactMap { $0[0] }
            #expect(remote == columns, "\(object)")
        }
    }

    private func count(_ table: String) throws -> Int {
        Int(try PostgresTestServer.connect(store).query("SELECT count(*) FROM \(table)").scalar ?? "") ?? -1
    }

    /// Every stored value of every run in `first` equals the same run's in `second` (bit for bit),
    /// runs matched by uuid, local ids left out.
    private func expectSameRows(_ first: String, _ second: String) throws {
        let a = try Database(path: first)
        let b = try Database(path: second)
        let tables = try a.rows("SELECT name FROM sqlite_schema WHERE type = 'table' AND sql LIKE '%run_id%'")
            .compactMap { $0[0].stringValue } + ["runs"]
        for table in tables {
            let columns = try a.rows("SELECT name FROM pragma_table_info(?)", [.text(table)]).compactMap { $0[0].stringValue }
                .filter { $0 != "run_id" && !(table == "runs" && $0 == "id") }
            let list = columns.map { "t.\($0)" }.joined(separator: ", ")
            let sql = table == "runs"
                ? "SELECT \(list) FROM runs AS t ORDER BY uuid"
                : "SELECT r.uuid, \(list) FROM \(table) AS t JOIN runs AS r ON r.id = t.run_id ORDER BY 1, 2, 3"
            let left = try a.rows(sql)
            #expect(!left.isEmpty || ["step_metrics", "tags"].contains(table), "\(table) is empty")
            #expect(left == (try b.rows(sql)), "\(table) differs")
        }
    }
}
