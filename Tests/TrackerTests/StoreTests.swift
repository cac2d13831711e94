import Foundation
import Synchronization
import Migrations
import SQLiteDB
import TestSupport
import Testing
@testable import Tracker

@Suite struct StoreTests {
    @Test func aNewFileIsCreatedInWALModeWithForeignKeysOn() throws {
        let directory = try TemporaryDirectory()
        let store = try Store(path: directory.file("new.db"))
        #expect(try store.db.scalar("PRAGMA journal_mode") == "wal")
        #expect(try store.db.scalar("PRAGMA foreign_keys") == .integer(1))
        #expect(try store.db.scalar("SELECT max(version) FROM schema_migrations") == .integer(Int64(Store.migrator.latestVersion)))
    }

    @Test func theSchemaTheBuildReadIsWhatApplyingTheMigrationsWithTheirBackfillsGivesNow() throws {
        #expect(EmbeddedMigrations.migratedSchema.sqlite == Database.libraryVersion)
        let schema = try #require(MigrationCatalog.sqliteSchema)
        #expect(schema == (try MigratedSchema(Store.migrator)))
        #expect(schema.version == Store.migrator.latestVersion && !schema.objects.isEmpty)
    }

    @Test func aSchemaBuiltByAnotherSQLiteLibraryIsReadAgainWithTheOneLinkedNow() throws {
        // A stand-in without objects shows which was taken.
        var built = EmbeddedMigrations.migratedSchema
        built.objects = []
        #expect(MigrationCatalog.schema(built: built)?.objects == [])
        built.sqlite = "3.0.0"
        #expect(MigrationCatalog.schema(built: built) == (try MigratedSchema(Store.migrator)))
        built.sqlite = Database.libraryVersion
        built.version -= 1
        #expect(MigrationCatalog.schema(built: built) == (try MigratedSchema(Store.migrator)))
    }

    @Test func aNewFileHasTheObjectsBookkeepingAndHeaderOfOneMigratedStepByStep() throws {
        // gradlog's own migrations leave nothing but objects, so a new file is created from them.
        #expect(MigrationCatalog.sqliteSchema?.canCreateFromObjects == true)
        let directory = try TemporaryDirectory()
        let created = try Store(path: directory.file("created.db")).db
        let migrated = try Database(path: directory.file("migrated.db"))
        try Store.migrator.migrate(migrated)
        // The Store created it from the objects: every table before any index, view or trigger it
        // declared, an order the migrations' own is not.
        let ranks = ["table": 0, "index": 1, "view": 2, "trigger": 3]
        func grouped(_ db: Database) throws -> Bool {
            let order = try db.schemaObjects().filter { $0.sql != nil }.map { ranks[$0.type] ?? 0 }
            return order == order.sorted()
        }
        #expect(try grouped(created))
        #expect(try !grouped(migrated))
        #expect(try Set(created.schemaObjects()) == Set(migrated.schemaObjects()))
        let bookkeeping = "SELECT version, name FROM schema_migrations ORDER BY version"
        #expect(try created.rows(bookkeeping) == migrated.rows(bookkeeping))
        for pragma in ["user_version", "application_id", "page_size", "encoding"] {
            #expect(try created.scalar("PRAGMA \(pragma)") == migrated.scalar("PRAGMA \(pragma)"), "\(pragma)")
        }
        #expect(try created.scalar("PRAGMA integrity_check") == "ok")
    }

    @Test func connectionsCreatingTheSameNewFileAtOnceEachOpenIt() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("raced.db")
        let failures = Mutex<[String]>([])
        // Six threads of their own, let go together.
        let (gate, group) = (DispatchSemaphore(value: 0), DispatchGroup())
        for _ in 0..<6 {
            onOwnThread(in: group) {
                gate.wait()
                do { _ = try Store(path: path) } catch { failures.withLock { $0.append("\(error)") } }
            }
        }
        for _ in 0..<6 { gate.signal() }
        group.wait()
        #expect(failures.withLock { $0 } == [])
        let bookkeeping = try Database(path: path).column(Int.self, "SELECT version FROM schema_migrations ORDER BY version")
        #expect(bookkeeping == Store.migrator.migrations.map(\.version))
    }

    // SQLite switches to write-ahead logging without its busy handler: while another connection
    // wrote, a `gradlog run` on a file the sqlite3 shell had set to rollback mode failed at once.
    @Test func aWriterOnAFileInRollbackModeWaitsForAnotherWritersTransaction() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("rollback.db")
        _ = try Store(path: path)
        try Database(path: path).execute("PRAGMA journal_mode = DELETE")
        let (locked, group) = (DispatchSemaphore(value: 0), DispatchGroup())
        onOwnThread(in: group) {
            let holder = try? Database(path: path)
            try? holder?.execute("BEGIN IMMEDIATE")
            locked.signal()
            usleep(100_000)
            try? holder?.execute("COMMIT")
        }
        locked.wait()
        let store = try Store(path: path)
        group.wait()
        #expect(try store.db.scalar("PRAGMA journal_mode") == "wal")
    }

    @Test func reopeningAppliesNothingAgain() throws {
        let directory = try TemporaryDirectory()
        _ = try Store(path: directory.file("twice.db"))
        let again = try Store(path: directory.file("twice.db"))
        #expect(try again.db.scalar("SELECT count(*) FROM schema_migrations") == .integer(Int64(Store.migrator.latestVersion)))
    }

    @Test func aDatabaseFromANewerGradlogIsRefusedUnchanged() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("newer.db")
        do {
            let store = try Store(path: path)
            try store.db.run("INSERT INTO schema_migrations VALUES (99, 'future', 'later')")
            try store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        }
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        let error = #expect(throws: TrackerError.self) { try Store(path: path) }
        #expect(error == .schema(path: path, .newerSchema(found: 99, supported: Store.migrator.latestVersion)))
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
    }

    @Test func aFileThatIsNotADatabaseIsRefusedWithSQLitesMessage() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("text.db")
        try Data("this is not a database, just some text that is long enough".utf8).write(to: URL(fileURLWithPath: path))
        let error = #expect(throws: TrackerError.self) { try Store(path: path) }
        guard case let .database(errorPath, sqliteError) = error else {
            Issue.record("expected a database error, got \(String(describing: error))")
            return
        }
        #expect(errorPath == path)
        #expect(sqliteError.message == "file is not a database")
    }

    @Test func anotherProgramsDatabaseIsRefused() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("other.db")
        try Database(path: path).execute("CREATE TABLE customers (id INTEGER)")
        let error = #expect(throws: TrackerError.self) { try Store(path: path) }
        #expect(error == .schema(path: path, .foreignDatabase))
    }
}
