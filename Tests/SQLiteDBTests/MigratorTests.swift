import Foundation
import TestSupport
import Testing
@testable import SQLiteDB

@Suite struct MigratorTests {
    let migrator = SQLiteMigrator(migrations: [
        Migration<Database>(version: 2, name: "second", sql: "ALTER TABLE a ADD COLUMN y TEXT"),
        Migration<Database>(version: 1, name: "first", sql: "CREATE TABLE a (x INTEGER)"),
    ])

    @Test func appliesMigrationsInOrderWithABookkeepingRowEach() throws {
        let db = try Database(path: ":memory:")
        #expect(try migrator.migrate(db) == [1, 2])
        let rows = try db.rows("SELECT version, name FROM schema_migrations ORDER BY version")
        #expect(rows == [[.integer(1), .text("first")], [.integer(2), .text("second")]])
        try db.run("INSERT INTO a(x, y) VALUES (1, 'both columns exist')")
    }

    @Test func applyingTwiceIsANoOp() throws {
        let db = try Database(path: ":memory:")
        try migrator.migrate(db)
        #expect(try migrator.migrate(db) == [])
        #expect(try migrator.appliedVersion(of: db) == 2)
    }

    @Test func upgradesAnOlderDatabaseKeepingItsData() throws {
        let db = try Database(path: ":memory:")
        try SQLiteMigrator(migrations: [migrator.migrations[0]]).migrate(db)
        try db.run("INSERT INTO a(x) VALUES (42)")
        #expect(try migrator.migrate(db) == [2])
        #expect(try db.scalar("SELECT x FROM a") == .integer(42))
    }

    @Test func aFailingMigrationLeavesNoTrace() throws {
        let db = try Database(path: ":memory:")
        let broken = SQLiteMigrator(migrations: migrator.migrations + [
            Migration<Database>(version: 3, name: "broken", sql: "CREATE TABLE b (z INTEGER); SELECT nonsense FROM nowhere"),
        ])
        #expect(throws: SQLiteError.self) { try broken.migrate(db) }
        #expect(try migrator.appliedVersion(of: db) == 2)
        #expect(try db.scalar("SELECT count(*) FROM sqlite_schema WHERE name = 'b'") == .integer(0))
    }

    @Test func aNewerDatabaseIsRefusedAndLeftByteForByteUnchanged() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("newer.db")
        do {
            let db = try Database(path: path)
            try SQLiteMigrator(migrations: migrator.migrations + [
                Migration<Database>(version: 3, name: "future", sql: "CREATE TABLE future (z INTEGER)"),
            ]).migrate(db)
        }
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        let db = try Database(path: path)
        #expect(throws: MigrationError.newerSchema(found: 3, supported: 2)) { try migrator.migrate(db) }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
        #expect(MigrationError.newerSchema(found: 3, supported: 2).description.contains("version 3"))
    }

    @Test func aDatabaseOfAnotherProgramIsRefused() throws {
        let db = try Database(path: ":memory:")
        try db.execute("CREATE TABLE customers (id INTEGER)")
        #expect(throws: MigrationError.foreignDatabase) { try migrator.migrate(db) }
    }

    @Test func aMigrationThatRebuildsAParentTableKeepsItsChildrenAndRunsItsBackfill() throws {
        let db = try Database(path: ":memory:")
        try db.execute("PRAGMA foreign_keys = ON")
        let first = Migration<Database>(version: 1, name: "first", sql: """
            CREATE TABLE parent (id INTEGER PRIMARY KEY);
            CREATE TABLE child (parent_id INTEGER REFERENCES parent(id) ON DELETE CASCADE);
            INSERT INTO parent VALUES (1); INSERT INTO child VALUES (1);
            """)
        let rebuild = Migration<Database>(version: 2, name: "rebuild", sql: """
            CREATE TABLE parent_new (id INTEGER PRIMARY KEY, label TEXT);
            INSERT INTO parent_new(id) SELECT id FROM parent;
            DROP TABLE parent;
            ALTER TABLE parent_new RENAME TO parent;
            """, backfill: { db in try db.execute("UPDATE parent SET label = 'filled in code'") })
        #expect(try SQLiteMigrator(migrations: [first, rebuild]).migrate(db) == [1, 2])
        #expect(try db.scalar("SELECT count(*) FROM child") == .integer(1))  // no cascade on DROP
        #expect(try db.scalar("SELECT label FROM parent") == "filled in code")
        #expect(try db.scalar("PRAGMA foreign_keys") == .integer(1))
    }

    @Test func aMigrationThatLeavesOrphansIsRolledBack() throws {
        let db = try Database(path: ":memory:")
        let first = Migration<Database>(version: 1, name: "first", sql: """
            CREATE TABLE parent (id INTEGER PRIMARY KEY);
            CREATE TABLE child (parent_id INTEGER REFERENCES parent(id));
            """)
        let orphaning = Migration<Database>(version: 2, name: "orphaning", sql: "INSERT INTO child VALUES (7)")
        #expect(throws: MigrationError.foreignKeyViolation(version: 2, table: "child")) {
            try SQLiteMigrator(migrations: [first, orphaning]).migrate(db)
        }
        #expect(try db.scalar("SELECT count(*) FROM child") == .integer(0))
        #expect(try SQLiteMigrator(migrations: [first]).appliedVersion(of: db) == 1)
    }
}
