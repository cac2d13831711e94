import Testing
@testable import SQLiteDB

@Suite struct MigratedSchemaTests {
    /// A history with what makes replaying it slow: a column added, a table rebuilt and renamed
    /// (its view dropped and made again), an index and a trigger.
    let migrator = SQLiteMigrator(migrations: [
        Migration<Database>(version: 1, name: "first", sql: """
            CREATE TABLE parent (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT UNIQUE);
            CREATE VIEW names AS SELECT name FROM parent;
            """),
        Migration<Database>(version: 2, name: "rebuild", sql: """
            DROP VIEW names;
            CREATE TABLE parent_new (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT UNIQUE, label TEXT);
            INSERT INTO parent_new(id, name) SELECT id, name FROM parent;
            DROP TABLE parent;
            ALTER TABLE parent_new RENAME TO parent;
            CREATE INDEX parent_by_label ON parent(label);
            CREATE VIEW names AS SELECT name, label FROM parent;
            """),
        Migration<Database>(version: 3, name: "child", sql: """
            CREATE TABLE child (parent_id INTEGER REFERENCES parent(id)) STRICT;
            ALTER TABLE child ADD COLUMN note TEXT;
            CREATE TRIGGER child_note AFTER INSERT ON child BEGIN SELECT 1; END;
            """, backfill: { db in try db.execute("UPDATE parent SET label = 'no row to fill'") }),
    ])

    @Test func aDatabaseCreatedFromTheSchemaHasTheObjectsAndBookkeepingOfOneMigratedStepByStep() throws {
        let schema = try MigratedSchema(migrator)
        #expect(schema.canCreateFromObjects)
        let created = try Database(path: ":memory:")
        #expect(try schema.create(in: created))
        let migrated = try Database(path: ":memory:")
        try migrator.migrate(migrated)
        #expect(try Set(created.schemaObjects()) == Set(migrated.schemaObjects()))
        let bookkeeping = "SELECT version, name FROM schema_migrations ORDER BY version"
        #expect(try created.rows(bookkeeping) == migrated.rows(bookkeeping))
        #expect(try migrator.migrate(created) == [])
        try created.run("INSERT INTO parent(name) VALUES ('works')")
        try created.run("INSERT INTO child(parent_id, note) VALUES (1, 'both columns')")
    }

    @Test func aDatabaseThatIsNoLongerEmptyIsLeftToTheMigrator() throws {
        let schema = try MigratedSchema(migrator)
        let db = try Database(path: ":memory:")
        try SQLiteMigrator(migrations: [migrator.migrations[0]]).migrate(db)
        let before = try db.schemaObjects()
        #expect(try schema.create(in: db) == false)
        #expect(try db.schemaObjects() == before)
        #expect(try migrator.migrate(db) == [2, 3])
    }

    @Test(arguments: [
        "CREATE TABLE settings (key TEXT); INSERT INTO settings VALUES ('seeded')",
        "CREATE TABLE settings (key TEXT); INSERT INTO settings VALUES ('gone'); DELETE FROM settings",
        "PRAGMA user_version = 7",
        "PRAGMA application_id = 7",
        "CREATE VIRTUAL TABLE notes USING fts5(body)",
        "CREATE TABLE settings (key TEXT); ANALYZE",
    ])
    func aMigrationThatLeavesMoreThanObjectsIsReplayedStepByStep(sql: String) throws {
        let seeding = SQLiteMigrator(migrations: migrator.migrations + [Migration(version: 4, name: "seed", sql: sql)])
        let schema = try MigratedSchema(seeding)
        #expect(!schema.canCreateFromObjects)
        let db = try Database(path: ":memory:")
        #expect(try schema.create(in: db) == false)
        #expect(try db.schemaObjects().isEmpty)
    }
}
