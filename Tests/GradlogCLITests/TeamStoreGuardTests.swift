import Foundation
import PostgresDB
import SQLiteDB
import TestSupport
import Testing
@testable import Tracker
@testable import GradlogCLI

/// A team store whose owner added triggers, rules, policies or functions of their own: push refuses
/// it, naming them, and writes nothing; pull reads it in a read-only session. A fresh database per test.
@Suite(.enabled(if: PostgresTestServer.shouldRun, Comment(rawValue: PostgresTestServer.skipReason)))
struct TeamStoreGuardTests {
    let cli: CLIHarness
    let other: CLIHarness
    let store: String

    init() throws {
        cli = try CLIHarness()
        other = CLIHarness.sharing(cli.directory, name: "pulled.db")
        store = try PostgresTestServer.freshDatabase()
    }

    /// A schema of the store owner's own, outside gradlog's, with a table that everything foreign
    /// below writes to when it runs, and functions that write there.
    private static let sideEffects = """
        CREATE SCHEMA audit;
        CREATE TABLE audit.side_effects (what text NOT NULL);
        CREATE FUNCTION audit.on_row() RETURNS trigger LANGUAGE plpgsql AS
            $$BEGIN INSERT INTO audit.side_effects VALUES (TG_NAME); RETURN NULL; END$$;
        CREATE FUNCTION audit.on_ddl() RETURNS event_trigger LANGUAGE plpgsql AS
            $$BEGIN INSERT INTO audit.side_effects VALUES (tg_tag); END$$;
        CREATE FUNCTION audit.touch() RETURNS text LANGUAGE plpgsql AS
            $$BEGIN INSERT INTO audit.side_effects VALUES ('touch'); RETURN 'x'; END$$;
        CREATE FUNCTION audit.same(text) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$BEGIN RETURN $1; END$$;
        CREATE DOMAIN audit.checked AS text CHECK (audit.same(VALUE) IS NOT NULL);
        """

    private func sql(_ text: String) throws {
        try PostgresTestServer.connect(store).execute(text)
    }

    private func rows(_ query: String) throws -> [[String?]] {
        try PostgresTestServer.connect(store).query(query).rows
    }

    private func sideEffectCount() throws -> Int {
        Int(try rows("SELECT count(*) FROM audit.side_effects")[0][0] ?? "") ?? -1
    }

    /// Pushes one run, adds the side-effect schema, then a second run here that a push would send.
    private func pushOneRunThenPrepare(_ foreign: String) throws {
        #expect(cli.run(["run", "--epochs", "3"]).code == 0)
        #expect(cli.run(["push", store, "--all"]).code == 0)
        try sql(Self.sideEffects)
        try sql(foreign)
        // What ran while the owner set it up (a volatile default fills the rows already there) is not push's.
        try sql("TRUNCATE audit.side_effects")
        #expect(cli.run(["run", "--epochs", "4"]).code == 0)
    }

    /// A push that must be refused: exit 2, the message's words, and the store exactly as it was.
    private func expectRefused(_ words: [String]) throws {
        let runs = try rows("SELECT * FROM runs ORDER BY id")
        let steps = try rows("SELECT count(*) FROM steps")
        let pushed = cli.run(["push", store, "--all"])
        #expect(pushed.code == 2, "\(pushed.err)")
        #expect(pushed.err.contains("carry objects that gradlog's migrations did not create"), "\(pushed.err)")
        #expect(pushed.err.contains("(nothing was written)"), "\(pushed.err)")
        for word in words { #expect(pushed.err.contains(word), "\(word) in \(pushed.err)") }
        #expect(pushed.out.isEmpty)
        #expect(try sideEffectCount() == 0)
        #expect(try rows("SELECT * FROM runs ORDER BY id") == runs)
        #expect(try rows("SELECT count(*) FROM steps") == steps)
    }

    @Test("the guard watches every table and view that gradlog's PostgreSQL migrations create")
    func guardWatchesEveryRelation() throws {
        #expect(cli.run(["run", "--epochs", "1"]).code == 0)
        #expect(cli.run(["push", store, "--all"]).code == 0)
        let created = try rows(
            "SELECT table_type, table_name FROM information_schema.tables WHERE table_schema = 'gradlog' ORDER BY table_name")
        #expect(StoreGuard.relations.tables.sorted() == created.filter { $0[0] == "BASE TABLE" }.compactMap { $0[1] })
        #expect(StoreGuard.relations.views.sorted() == created.filter { $0[0] == "VIEW" }.compactMap { $0[1] })
    }

    @Test("push refuses a store whose runs table has an AFTER INSERT trigger, names it, and writes nothing")
    func triggerOnRuns() throws {
        try pushOneRunThenPrepare(
            "CREATE TRIGGER audit_runs AFTER INSERT OR UPDATE ON runs FOR EACH ROW EXECUTE FUNCTION audit.on_row()")
        try expectRefused(["trigger 'audit_runs' on runs", #"DROP TRIGGER "audit_runs" ON runs"#])
        // Once its owner drops it, as the message says, the push goes through.
        try sql(#"DROP TRIGGER "audit_runs" ON runs"#)
        #expect(cli.run(["push", store, "--all"]).code == 0)
        #expect(try rows("SELECT count(*) FROM runs") == [["2"]])
        #expect(try sideEffectCount() == 0)
    }

    @Test("push refuses a store with a rule on steps, names it, and writes nothing")
    func ruleOnSteps() throws {
        try pushOneRunThenPrepare(
            "CREATE RULE log_steps AS ON INSERT TO steps DO ALSO INSERT INTO audit.side_effects VALUES ('rule')")
        try expectRefused(["rule 'log_steps' on steps", #"DROP RULE "log_steps" ON steps"#])
    }

    @Test("push refuses a store with row-level security and a policy on runs, names both, and writes nothing")
    func policyOnRuns() throws {
        try pushOneRunThenPrepare("""
            ALTER TABLE runs ENABLE ROW LEVEL SECURITY;
            CREATE POLICY reviewed_only ON runs USING (audit.same(uuid) IS NOT NULL)
            """)
        try expectRefused([
            "row-level security on runs", "policy 'reviewed_only' on runs",
            "ALTER TABLE runs DISABLE ROW LEVEL SECURITY", #"DROP POLICY "reviewed_only" ON runs"#,
        ])
    }

    @Test("push refuses a database with an event trigger before its migrations' DDL, names it, and creates nothing")
    func eventTrigger() throws {
        #expect(cli.run(["run", "--epochs", "3"]).code == 0)
        try sql(Self.sideEffects)
        try sql("CREATE EVENT TRIGGER watch_ddl ON ddl_command_start EXECUTE FUNCTION audit.on_ddl()")
        let pushed = cli.run(["push", store, "--all"])
        #expect(pushed.code == 2, "\(pushed.err)")
        #expect(pushed.err.contains("event trigger 'watch_ddl'") && pushed.err.contains(#"DROP EVENT TRIGGER "watch_ddl""#),
                "\(pushed.err)")
        #expect(try sideEffectCount() == 0)
        #expect(try rows("SELECT count(*) FROM pg_tables WHERE schemaname = 'gradlog'") == [["0"]])
        #expect(try rows("SELECT count(*) FROM pg_namespace WHERE nspname = 'gradlog'") == [["0"]])
    }

    @Test("push refuses defaults, constraints, indexes and column types that call functions gradlog did not create")
    func expressionsOnTables() throws {
        try pushOneRunThenPrepare("""
            ALTER TABLE steps ADD COLUMN audited text DEFAULT audit.touch();
            ALTER TABLE runs ADD CONSTRAINT sets_a_setting CHECK (set_config('application_name', 'x', false) <> '');
            CREATE INDEX tags_same ON tags (audit.same(key));
            ALTER TABLE tags ADD COLUMN checked audit.checked;
            ALTER TABLE gradients ADD COLUMN echoed text GENERATED ALWAYS AS (audit.same(param)) STORED;
            DROP VIEW layer_checks;
            CREATE TABLE layer_checks (note text);
            ALTER TABLE runs ADD COLUMN reviewer text NOT NULL DEFAULT 'nobody'
            """)
        try expectRefused([
            "layer_checks (no longer the kind of relation gradlog created)",
            "the default of column 'audited' of steps", #"ALTER TABLE steps ALTER COLUMN "audited" DROP DEFAULT"#,
            "constraint 'sets_a_setting' on runs", "index 'tags_same' on tags", "the type of column 'checked' of tags",
            "generated column 'echoed' of gradients",
        ])
        // A column of the team's own with a constant default is theirs to keep.
        #expect(!cli.run(["push", store, "--all"]).err.contains("reviewer"))
    }

    @Test("a trigger created after push connected is refused in the run's own transaction, before it writes")
    func triggerCreatedDuringPush() throws {
        #expect(cli.run(["run", "--epochs", "3"]).code == 0)
        let local = try Store(path: cli.database)
        let team = try TeamStore(url: store, access: .push)
        try sql(Self.sideEffects)
        try sql("CREATE TRIGGER late AFTER INSERT ON steps FOR EACH STATEMENT EXECUTE FUNCTION audit.on_row()")
        let refused = TrackerError.teamStore(
            url: store, problem: .foreignObjects([ForeignStoreObject(kind: .trigger, name: "late", table: "steps")]))
        #expect(throws: refused) { try RunPusher.push([1], from: local, to: team) }
        #expect(try sideEffectCount() == 0)
        #expect(try rows("SELECT count(*) FROM runs") == [["0"]])
    }

    @Test("push and pull never call a function that shadows a built-in from earlier in the store's search_path")
    func shadowingFunction() throws {
        #expect(cli.run(["run", "--epochs", "3"]).code == 0)
        try sql(Self.sideEffects)
        // The owner's schema ahead of pg_catalog, with a to_regclass, which gradlog's schema check calls.
        try sql("""
            CREATE FUNCTION audit.to_regclass(text) RETURNS regclass LANGUAGE plpgsql AS
                $$BEGIN INSERT INTO audit.side_effects VALUES ('to_regclass'); RETURN pg_catalog.to_regclass($1); END$$;
            DO $$BEGIN EXECUTE format('ALTER DATABASE %I SET search_path = gradlog, audit, pg_catalog', current_database()); END$$
            """)
        #expect(cli.run(["push", store, "--all"]).code == 0)
        #expect(other.run(["pull", store, "--all"]).code == 0)
        #expect(try sideEffectCount() == 0)
        #expect(try Database(path: other.database).scalar("SELECT count(*) FROM runs") == .integer(1))
    }

    @Test("pull from a store whose tables carry a trigger works, in a read-only session, and writes nothing there")
    func pullIsReadOnly() throws {
        #expect(cli.run(["run", "--epochs", "3"]).code == 0)
        #expect(cli.run(["push", store, "--all"]).code == 0)
        try sql(Self.sideEffects)
        try sql("""
            CREATE TRIGGER audit_runs AFTER INSERT OR UPDATE OR DELETE ON runs FOR EACH ROW EXECUTE FUNCTION audit.on_row();
            CREATE TRIGGER audit_steps AFTER INSERT OR UPDATE OR DELETE ON steps FOR EACH STATEMENT EXECUTE FUNCTION audit.on_row()
            """)
        let runs = try rows("SELECT * FROM runs ORDER BY id")
        let pulled = other.run(["pull", store, "--all", "--csv"])
        #expect(pulled.code == 0, "\(pulled.err)")
        #expect(pulled.out.contains("pulled,"))
        #expect(try sideEffectCount() == 0)
        #expect(try rows("SELECT * FROM runs ORDER BY id") == runs)
        // Not only each run's transaction: the whole session, the selection of runs included.
        let team = try TeamStore(url: store, access: .pull)
        #expect(try team.connection.query("SHOW default_transaction_read_only").scalar == "on")
        #expect(throws: PostgresError.self) { try team.connection.execute("INSERT INTO audit.side_effects VALUES ('pull')") }
        #expect(try sideEffectCount() == 0)
    }
}
