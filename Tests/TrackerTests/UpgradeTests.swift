import Foundation
import SQLiteDB
import TestSupport
import Testing
@testable import Tracker

/// `Tests/Fixtures/schema-v1.db` was written by gradlog at schema version 1 (four runs: the lesson
/// with the textbook loss, `and` in mini-batches, a CSV file with -0.0 in it, and a diverged run).
@Suite struct UpgradeTests {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/schema-v1.db").path

    func copyOfFixture(_ directory: TemporaryDirectory) throws -> String {
        let path = directory.file("old.db")
        try FileManager.default.copyItem(atPath: Self.fixture, toPath: path)
        return path
    }

    static let snapshotQueries = [
        "SELECT * FROM steps ORDER BY run_id, step",
        "SELECT * FROM gradients ORDER BY run_id, step, param",
        "SELECT * FROM samples ORDER BY run_id, sample",
        "SELECT * FROM sample_inputs ORDER BY run_id, sample, input",
        "SELECT * FROM params ORDER BY run_id, position",
        "SELECT * FROM tags ORDER BY run_id, key",
        "SELECT id, uuid, name, status, config, final_loss, worst_rel_error FROM runs ORDER BY id",
        "SELECT * FROM epochs ORDER BY run_id, epoch",
    ]

    func snapshot(_ db: Database) throws -> [[[SQLiteValue]]] {
        try Self.snapshotQueries.map { try db.rows($0) }
    }

    @Test func anOldDatabaseIsUpgradedInPlaceLosingNothing() throws {
        let directory = try TemporaryDirectory()
        let path = try copyOfFixture(directory)
        let before = try snapshot(try Database(path: path))
        #expect(try Database(path: path).scalar("SELECT max(version) FROM schema_migrations") == .integer(1))
        #expect(before[0].count == 18)
        let store = try Store(path: path)
        #expect(try store.db.scalar("SELECT max(version) FROM schema_migrations") == .integer(Int64(Store.migrator.latestVersion)))
        #expect(try snapshot(store.db) == before)
        #expect(try store.db.scalar("SELECT count(*) FROM runs WHERE host = '' AND pid IS NULL") == .integer(4))
        #expect(try store.db.scalar("PRAGMA integrity_check") == "ok")
    }

    @Test func anUpgradedDatabaseTakesNewRunsBesideTheOldOnes() throws {
        let directory = try TemporaryDirectory()
        let store = try Store(path: try copyOfFixture(directory))
        let outcome = try RunExecutor.execute(RunRequest(dataset: .lesson, config: .init()), in: store)
        #expect(outcome.runID == 5)
        let catalog = RunCatalog(store: store)
        #expect(try catalog.list().rows.count == 5)
        #expect(try catalog.summary(of: 2).rows[0][1] == "and 'mini' \"batch\"")
    }
}
