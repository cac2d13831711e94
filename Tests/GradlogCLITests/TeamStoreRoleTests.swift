import Foundation
import PostgresDB
import SQLiteDB
import TestSupport
import Testing
import Tracker
@testable import GradlogCLI

/// A read-only PostgreSQL role (SELECT on gradlog's tables, nothing more) pulls every run and cannot
/// push: the push is refused with exit code 2, saying what the role lacks, and the store is
/// unchanged. A fresh database (and role) per test.
@Suite(.enabled(if: PostgresTestServer.shouldRun, Comment(rawValue: PostgresTestServer.skipReason)))
struct TeamStoreRoleTests {
    let cli: CLIHarness
    let other: CLIHarness
    let store: String
    /// The store's connection string as the read-only role.
    let reader: String
    let role: String

    init() throws {
        cli = try CLIHarness()
        other = CLIHarness.sharing(cli.directory, name: "pulled.db")
        store = try PostgresTestServer.freshDatabase()
        role = "gradlog_reader_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(8).lowercased()
        let owner = try #require(store.split(separator: " ").first { $0.hasPrefix("user=") })
        reader = store.replacingOccurrences(of: String(owner), with: "user=\(role)")
    }

    private func owner() throws -> PostgresConnection {
        try PostgresTestServer.connect(store)
    }

    /// The role of docs/sweeps-and-store.md: it may connect and read gradlog's tables, nothing more.
    private func createReadOnlyRole() throws {
        try owner().execute("""
            CREATE ROLE \(role) LOGIN;
            DO $$BEGIN EXECUTE format('GRANT CONNECT ON DATABASE %I TO \(role)', current_database()); END$$;
            GRANT USAGE ON SCHEMA gradlog TO \(role);
            GRANT SELECT ON ALL TABLES IN SCHEMA gradlog TO \(role)
            """)
    }

    /// The number of rows of every table of the store, by name.
    private func counts() throws -> [String: String] {
        let connection = try owner()
        var counts: [String: String] = [:]
        for table in try connection.query("SELECT tablename FROM pg_tables WHERE schemaname = 'gradlog'").rows.compactMap({ $0[0] }) {
            counts[table] = try connection.query("SELECT count(*) FROM \(table)").scalar
        }
        return counts
    }

    @Test func aReadOnlyRolePullsEveryRunAndItsPushIsRefusedChangingNothing() throws {
        #expect(cli.run(["run", "--epochs", "5", "--user", "ana", "--tag", "k=v"]).code == 0)
        #expect(cli.run(["run", "--dataset", "xor", "--hidden", "2", "--epochs", "3"]).code == 0)
        #expect(cli.run(["push", store, "--all"]).code == 0)
        try createReadOnlyRole()
        let pulled = other.run(["pull", reader, "--all", "--csv"])
        #expect(pulled.code == 0, "\(pulled.err)")
        #expect(pulled.err == "Pulled from the store: 2 pulled, 0 replaced, 0 unchanged, 0 skipped.\n")
        #expect(other.run(["verify", "--all"]).code == 0)
        // A new run here and a changed one: a push would send both.
        #expect(cli.run(["run", "--epochs", "2"]).code == 0)
        #expect(cli.run(["note", "1", "changed"]).code == 0)
        let before = try counts()
        #expect(before.count == 12 && before["runs"] == "2", "\(before)")  // schema_migrations, runs and the 10 tables of their rows
        let runs = try owner().query("SELECT * FROM runs ORDER BY id").rows
        let pushed = cli.run(["push", reader, "--all"])
        #expect(pushed.code == 2, "\(pushed.err)")
        #expect(pushed.err.contains("role '\(role)' may read this store but not push to it"), "\(pushed.err)")
        #expect(pushed.err.contains("INSERT, UPDATE on runs"), "\(pushed.err)")
        #expect(pushed.err.contains("GRANT SELECT, INSERT ON steps TO \"\(role)\"") == false)
        #expect(pushed.err.contains("GRANT INSERT ON steps TO \"\(role)\""), "\(pushed.err)")
        #expect(pushed.err.contains("(nothing was written)"))
        #expect(pushed.out.isEmpty)
        #expect(try counts() == before)
        #expect(try owner().query("SELECT * FROM runs ORDER BY id").rows == runs)
    }

    @Test func aReadOnlyRoleCannotCreateTheStoreAndIsToldWhy() throws {
        #expect(cli.run(["run", "--epochs", "2"]).code == 0)
        // The owner's schema for the store, where the role may not create tables (a new schema's default).
        try owner().execute("CREATE SCHEMA gradlog")
        try createReadOnlyRole()
        let pushed = cli.run(["push", reader, "--all"])
        #expect(pushed.code == 2, "\(pushed.err)")
        #expect(pushed.err.contains("the server refused it: permission denied"), "\(pushed.err)")
        #expect(try counts().isEmpty)
    }

    @Test func aReadOnlyRoleReadsTheStoreInPlaceWithEveryReadingCommand() throws {
        #expect(cli.run(["run", "--epochs", "5", "--tag", "sweep=s", "--tag", "trial=1", "--tag", "sweep.lr=0.1", "--tag", "sweep.grid=g"]).code == 0)
        #expect(cli.run(["run", "--dataset", "xor", "--hidden", "2", "--epochs", "3"]).code == 0)
        #expect(cli.run(["push", store, "--all"]).code == 0)
        try createReadOnlyRole()
        let before = try counts()
        let commands: [[String]] = [["runs"], ["show", "1"], ["report", "1"], ["report", "2", "--steps"], ["report", "2", "--layers"],
                                    ["report", "1", "--html", "--output", "-"], ["compare", "1", "2"], ["diff", "1", "2"],
                                    ["plot", "2", "--output", "-"], ["sweep", "show", "s"]]
        for command in commands {
            let read = cli.run(command + ["--store", reader], useDatabase: false)
            #expect(read.code == 0 && !read.out.isEmpty, "\(command): \(read.err)")
        }
        #expect(try counts() == before)
    }
}
