import Testing
@testable import SQLiteDB

/// The migrator's rules hold for any target, not only SQLite: here a target that keeps its schema
/// in memory, as the PostgreSQL store's target keeps it on the server.
@Suite struct MigrationTargetTests {
    /// A database whose "schema" is the list of scripts run on it.
    final class Scripted: MigrationTarget {
        var applied: [(version: Int, name: String)] = []
        var scripts: [String] = []
        var transactions = 0
        var connection: Scripted { self }

        func appliedVersion() throws -> Int { applied.map(\.version).max() ?? 0 }
        func migrationTransaction<T>(_ body: () throws -> T) throws -> T {
            transactions += 1
            let saved = (applied, scripts)
            do { return try body() } catch { (applied, scripts) = saved; throw error }
        }
        func execute(_ sql: String) throws { scripts.append(sql) }
        func check(after version: Int) throws {}
        func record(version: Int, name: String) throws { applied.append((version, name)) }
    }

    static let migrations = [Migration<Scripted>(file: "0002_second.sql", sql: "two"),
                             Migration<Scripted>(file: "PostgreSQL/0001_first.sql", sql: "one")].compactMap { $0 }

    @Test func migrationsApplyInOrderOncePerTransactionWithTheCheckBeforeEach() throws {
        let target = Scripted()
        var checks = 0
        let migrator = Migrator<Scripted>(migrations: Self.migrations)
        #expect(try migrator.migrate(target, before: { checks += 1 }) == [1, 2])
        #expect(target.scripts == ["one", "two"] && target.applied.map(\.name) == ["first", "second"])
        #expect(checks == 2 && target.transactions == 2)
        #expect(try migrator.migrate(target) == [] && target.transactions == 2)  // up to date: no lock taken
    }

    @Test func aNewerDatabaseIsRefusedAndAFailedCheckAppliesNothing() throws {
        let newer = Scripted()
        newer.applied = [(3, "third")]
        #expect(throws: MigrationError.newerSchema(found: 3, supported: 2)) {
            try Migrator<Scripted>(migrations: Self.migrations).migrate(newer)
        }
        struct Refused: Error {}
        let target = Scripted()
        #expect(throws: Refused.self) { try Migrator<Scripted>(migrations: Self.migrations).migrate(target, before: { throw Refused() }) }
        #expect(target.scripts.isEmpty && target.applied.isEmpty)
    }

    @Test func aFileNameGivesTheVersionAndTheName() {
        #expect(Migration<Scripted>(file: "Migrations/0007_closed_words.sql", sql: "")?.version == 7)
        #expect(Migration<Scripted>(file: "0007_closed_words.sql", sql: "")?.name == "closed_words")
        #expect(Migration<Scripted>(file: "notes.sql", sql: "") == nil)
    }
}
