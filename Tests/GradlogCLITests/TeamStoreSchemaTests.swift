import Foundation
import PostgresDB
import SQLiteDB
import TestSupport
import Testing
@testable import Tracker
@testable import GradlogCLI

/// The team store in a PostgreSQL schema of its own (`--schema`, the connection string's
/// `search_path`, else `gradlog`), a store in `public` from before, and schema names that cannot be
/// used or that try to break out of their quotes. A fresh database per test.
@Suite(.enabled(if: PostgresTestServer.shouldRun, Comment(rawValue: PostgresTestServer.skipReason)))
struct TeamStoreSchemaTests {
    let cli: CLIHarness
    let other: CLIHarness
    let store: String

    init() throws {
        cli = try CLIHarness()
        other = CLIHarness.sharing(cli.directory, name: "pulled.db")
        store = try PostgresTestServer.freshDatabase()
    }

    /// The uuids of the runs in `schema` of the store, sorted.
    private func uuids(in schema: String) throws -> [String] {
        try PostgresTestServer.connect(store, schema: schema).query("SELECT uuid FROM runs ORDER BY uuid").rows.compactMap { $0[0] }
    }

    /// The uuids of the runs in a local file, sorted.
    private func localUUIDs(_ harness: CLIHarness) throws -> [String] {
        try Database(path: harness.database).rows("SELECT uuid FROM runs ORDER BY uuid").compactMap { $0[0].stringValue }
    }

    /// The schemas of the database that are neither PostgreSQL's nor empty of tables, sorted.
    private func schemasWithTables() throws -> [String] {
        try PostgresTestServer.connect(store).query(
            "SELECT DISTINCT schemaname FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1")
            .rows.compactMap { $0[0] }
    }

    @Test("two stores in two schemas of one database are pushed and pulled independently")
    func twoSchemasOfOneDatabase() throws {
        let third = CLIHarness.sharing(cli.directory, name: "third.db")
        #expect(cli.run(["run", "--epochs", "4", "--seed", "1"]).code == 0)
        #expect(third.run(["run", "--epochs", "6", "--seed", "2"]).code == 0)
        // One by --schema, one by the connection string's search_path, which push creates as well.
        let pushedA = cli.run(["push", store, "--all", "--schema", "team_a"])
        #expect(pushedA.code == 0, "\(pushedA.err)")
        let teamB = store + " options='-csearch_path=team_b'"
        let pushedB = third.run(["push", teamB, "--all"])
        #expect(pushedB.code == 0, "\(pushedB.err)")
        #expect(try schemasWithTables() == ["team_a", "team_b"])
        #expect(try uuids(in: "team_a") == localUUIDs(cli))
        #expect(try uuids(in: "team_b") == localUUIDs(third))
        #expect(try uuids(in: "team_a") != uuids(in: "team_b"))
        // Pushing to one schema again sends nothing and leaves the other alone.
        #expect(cli.run(["push", store, "--all", "--schema", "team_a", "--csv"]).out.contains("unchanged,"))
        #expect(try uuids(in: "team_b").count == 1)
        let pulledB = other.run(["pull", store, "--all", "--schema", "team_b", "--csv"])
        #expect(pulledB.code == 0, "\(pulledB.err)")
        #expect(try localUUIDs(other) == localUUIDs(third))
        let pulledA = other.run(["pull", teamB, "--all", "--schema", "team_a", "--csv"])  // --schema over the string's
        #expect(pulledA.code == 0 && pulledA.out.contains("pulled,"), "\(pulledA.err)")
        #expect(try localUUIDs(other) == (localUUIDs(cli) + localUUIDs(third)).sorted())
        #expect(other.run(["verify", "--all"]).code == 0)
        // Without either, the default schema gradlog holds nothing yet.
        let none = other.run(["pull", store, "--all"])
        #expect(none.code == 2 && none.err.contains("schema 'gradlog' of the database holds no gradlog runs yet"), "\(none.err)")
    }

    @Test("push creates schema gradlog by default, beside another program's tables in public")
    func defaultSchemaBesideAnotherProgram() throws {
        try PostgresTestServer.connect(store, schema: "public").execute("CREATE TABLE invoices (id int); INSERT INTO invoices VALUES (7)")
        #expect(cli.run(["run", "--epochs", "3"]).code == 0)
        let pushed = cli.run(["push", store, "--all"])
        #expect(pushed.code == 0, "\(pushed.err)")
        #expect(!pushed.err.contains("Note:"))
        #expect(try schemasWithTables() == ["gradlog", "public"])
        #expect(try uuids(in: "gradlog") == localUUIDs(cli))
        #expect(other.run(["pull", store, "--all"]).code == 0)
        #expect(try PostgresTestServer.connect(store, schema: "public").query("SELECT id FROM invoices").rows == [["7"]])
    }

    @Test("a store in public from before is used there with a note, and still after it is moved to gradlog")
    func storeInPublicFromBefore() throws {
        #expect(cli.run(["run", "--epochs", "3"]).code == 0)
        // As every store was before gradlog had a schema of its own.
        #expect(cli.run(["push", store, "--all", "--schema", "public"]).code == 0)
        #expect(try schemasWithTables() == ["public"])
        #expect(cli.run(["run", "--epochs", "5"]).code == 0)
        let pushed = cli.run(["push", store, "--all", "--csv"])
        #expect(pushed.code == 0, "\(pushed.err)")
        #expect(pushed.err.contains("Note: using the store in schema public"), "\(pushed.err)")
        #expect(pushed.out.contains("unchanged,") && pushed.out.contains("pushed,"))
        let pulled = other.run(["pull", store, "--all"])
        #expect(pulled.code == 0 && pulled.err.contains("Note: using the store in schema public"), "\(pulled.err)")
        #expect(try schemasWithTables() == ["public"])
        #expect(try localUUIDs(other) == localUUIDs(cli))
        #expect(!other.run(["pull", store, "--all", "--schema", "public"]).err.contains("Note:"))
        // The move docs/sweeps-and-store.md gives, after which the default finds it, without a note.
        try PostgresTestServer.connect(store, schema: "public").execute(
            "BEGIN; ALTER SCHEMA public RENAME TO gradlog; CREATE SCHEMA public; COMMIT")
        let afterMove = other.run(["pull", store, "--all", "--csv"])
        #expect(afterMove.code == 0 && !afterMove.err.contains("Note:"), "\(afterMove.err)")
        #expect(afterMove.out.contains("unchanged,"))
        #expect(cli.run(["push", store, "--all", "--csv"]).out.contains("unchanged,"))
        #expect(try schemasWithTables() == ["gradlog"])
    }

    @Test("a schema name that cannot name a store is refused with exit 2, saying why, and nothing is created")
    func badSchemaNames() throws {
        #expect(cli.run(["run", "--epochs", "2"]).code == 0)
        let cases: [(String, String)] = [
            ("", "it is empty"),
            (String(repeating: "s", count: 64), "it is longer than 63 bytes"),
            (String(repeating: "é", count: 32), "it is longer than 63 bytes"),
            ("pg_store", "PostgreSQL reserves names starting with pg_"),
            ("information_schema", "PostgreSQL reserves names starting with pg_, and information_schema"),
            ("$user", "a search_path reads it as the role's own schema"),
            ("a\u{0}b", "it holds a NUL byte"),
        ]
        for (name, words) in cases {
            for command in [["push", store, "--all", "--schema", name], ["pull", store, "--all", "--schema", name]] {
                let result = (command[0] == "push" ? cli : other).run(command)
                #expect(result.code == 2, "\(command)")
                #expect(result.err.contains("cannot be the store's schema: \(words)"), "\(result.err)")
            }
        }
        // The same rule for the first schema of the connection string's search_path.
        let viaPath = cli.run(["push", store + " options='-csearch_path=pg_mine'", "--all"])
        #expect(viaPath.code == 2 && viaPath.err.contains("'pg_mine' cannot be the store's schema"), "\(viaPath.err)")
        #expect(try PostgresTestServer.connect(store).query(
            "SELECT count(*) FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%' AND nspname NOT IN ('public', 'information_schema')").scalar == "0")
        #expect(!FileManager.default.fileExists(atPath: other.database))
    }

    @Test("hostile schema names are quoted: the store lives in a schema of exactly that name and nothing else changes")
    func hostileSchemaNames() throws {
        try PostgresTestServer.connect(store, schema: "public").execute("CREATE TABLE sentinel (id int); INSERT INTO sentinel VALUES (1)")
        #expect(cli.run(["run", "--epochs", "2"]).code == 0)
        let names = [
            #"x"; DROP SCHEMA public CASCADE; --"#, "Robert'); DROP TABLE runs; --", "Mixed Case.and dots",
            #"""""#, "$users", "  spaced  ", "名前", String(repeating: "z", count: 63),
        ]
        for name in names {
            let pushed = cli.run(["push", store, "--all", "--schema", name])
            #expect(pushed.code == 0, "\(name): \(pushed.err)")
            #expect(try uuids(in: name) == localUUIDs(cli), "\(name)")
            let pulled = other.run(["pull", store, "--all", "--schema", name, "--csv"])
            #expect(pulled.code == 0, "\(name): \(pulled.err)")
        }
        let schemas = try PostgresTestServer.connect(store).query(
            "SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%' AND nspname NOT IN ('public', 'information_schema')")
            .rows.compactMap { $0[0] }
        #expect(Set(schemas) == Set(names))
        #expect(try PostgresTestServer.connect(store, schema: "public").query("SELECT id FROM sentinel").rows == [["1"]])
        #expect(try localUUIDs(other) == localUUIDs(cli))
    }

    @Test("the guard against foreign objects holds per schema: a trigger in one store refuses pushes there only")
    func guardPerSchema() throws {
        #expect(cli.run(["run", "--epochs", "2"]).code == 0)
        #expect(cli.run(["push", store, "--all", "--schema", "one"]).code == 0)
        #expect(cli.run(["push", store, "--all", "--schema", "two"]).code == 0)
        try PostgresTestServer.connect(store, schema: "one").execute("""
            CREATE FUNCTION public.noop() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NULL; END$$;
            CREATE TRIGGER late AFTER INSERT ON runs FOR EACH ROW EXECUTE FUNCTION public.noop()
            """)
        #expect(cli.run(["run", "--epochs", "3"]).code == 0)
        let refused = cli.run(["push", store, "--all", "--schema", "one"])
        #expect(refused.code == 2 && refused.err.contains("trigger 'late' on runs"), "\(refused.err)")
        #expect(try uuids(in: "one").count == 1)
        #expect(cli.run(["push", store, "--all", "--schema", "two"]).code == 0)
        #expect(try uuids(in: "two").count == 2)
        // The session's search_path is pinned to the schema, quoted, with pg_temp last.
        let team = try TeamStore(url: store, access: .pull, schema: "two")
        #expect(try team.connection.query("SHOW search_path").scalar == #"two, pg_temp"#)
    }

    @Test("the first schema of a search_path is read as PostgreSQL reads it")
    func searchPathParsing() {
        #expect(SearchPath.firstSchema(of: "gradlog", user: "ana") == "gradlog")
        #expect(SearchPath.firstSchema(of: " Team_B , public", user: "ana") == "team_b")
        #expect(SearchPath.firstSchema(of: #""My ""Store""", public"#, user: "ana") == #"My "Store""#)
        #expect(SearchPath.firstSchema(of: #""$user", public"#, user: "ana") == "ana")
        #expect(SearchPath.firstSchema(of: "ÉTÉ", user: "ana") == "Été".uppercased().replacingOccurrences(of: "T", with: "t"))
        #expect(SearchPath.firstSchema(of: "", user: "ana") == nil)
        #expect(SearchPath.firstSchema(of: #""unclosed"#, user: "ana") == nil)
    }
}
