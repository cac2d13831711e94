import Foundation
import SQLiteDB
import TestSupport
import Testing
@testable import Tracker

/// `Tests/Fixtures/schema-v1.db` was written by gradlog at schema version 1 (four runs: the lesson
/// with the textbook loss, `and` in mini-batches, a CSV file with -0.0 in it, and a diverged run);
/// `schema-v3.db` by gradlog at schema version 3 (the lesson, a diverged run with NaN losses and
/// infinite gradients, mini-batches of `and`, and a CSV file with -0.0 in it).
@Suite struct UpgradeTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures")
    static let fixture = fixtures.appendingPathComponent("schema-v1.db").path
    static let v3Fixture = fixtures.appendingPathComponent("schema-v3.db").path

    func copy(_ fixture: String, _ directory: TemporaryDirectory) throws -> String {
        let path = directory.file("old.db")
        try FileManager.default.copyItem(atPath: fixture, toPath: path)
        return path
    }

    /// Every stored table in its key order, and the old schema's epoch views.
    static let snapshotQueries = [
        "SELECT * FROM runs ORDER BY id",
        "SELECT * FROM tags ORDER BY run_id, key",
        "SELECT * FROM params ORDER BY run_id, position",
        "SELECT * FROM samples ORDER BY run_id, sample",
        "SELECT * FROM sample_inputs ORDER BY run_id, sample, input",
        "SELECT * FROM steps ORDER BY run_id, step",
        "SELECT * FROM gradients ORDER BY run_id, step, param",
        """
        SELECT run_id, epoch, steps, first_step, last_step, mean_loss, accuracy, worst_abs_error,
               worst_rel_error, failed_checks FROM epochs ORDER BY run_id, epoch
        """,
        "SELECT run_id, epoch, param, value FROM epoch_params ORDER BY run_id, epoch, position",
    ]

    /// The rows of each query, and the column names of the old file's, to read the same ones after.
    func snapshot(_ db: Database, columns: [[String]]? = nil) throws -> (rows: [[[SQLiteValue]]], columns: [[String]]) {
        var rows: [[[SQLiteValue]]] = []
        var names: [[String]] = []
        for (index, query) in Self.snapshotQueries.enumerated() {
            var sql = query
            if let wanted = columns?[index], query.hasPrefix("SELECT * FROM ") {
                sql = "SELECT \(wanted.joined(separator: ", ")) FROM " + query.dropFirst("SELECT * FROM ".count)
            }
            let statement = try db.prepare(sql)
            var result: [[SQLiteValue]] = []
            while try statement.step() { result.append(statement.row()) }
            rows.append(result)
            names.append(statement.columnNames)
        }
        return (rows, names)
    }

    /// A value as schema v4 holds it: a NaN (an 8-byte BLOB before) is NULL, -0.0 is 0.0.
    static func asStoredNow(_ value: SQLiteValue) -> SQLiteValue {
        switch value {
        case .blob(let bytes) where bytes.count == 8: .null
        case .real(let number): .real(number + 0.0)
        default: value
        }
    }

    func expectEveryValueKept(upgrading fixture: String, from version: Int64) throws {
        let directory = try TemporaryDirectory()
        let path = try copy(fixture, directory)
        let old = try Database(path: path)
        #expect(try old.scalar("SELECT max(version) FROM schema_migrations") == .integer(version))
        let before = try snapshot(old)
        let store = try Store(path: path)
        #expect(try store.db.scalar("SELECT max(version) FROM schema_migrations") == .integer(Int64(Store.migrator.latestVersion)))
        let after = try snapshot(store.db, columns: before.columns)
        for (index, query) in Self.snapshotQueries.enumerated() {
            #expect(after.rows[index] == before.rows[index].map { $0.map(Self.asStoredNow) }, "\(query)")
            #expect(!after.rows[index].isEmpty, "\(query)")
        }
        #expect(try store.db.scalar("PRAGMA integrity_check") == "ok")
        #expect(try store.db.rows("PRAGMA foreign_key_check").isEmpty)
        for id in 1...4 {
            #expect(try RunVerifier.verify(Int64(id), in: store).difference == nil, "run \(id)")
        }
    }

    @Test func aVersion1DatabaseIsUpgradedInPlaceWithEveryValueCompared() throws {
        try expectEveryValueKept(upgrading: Self.fixture, from: 1)
    }

    @Test func aVersion3DatabaseWithADivergedRunIsUpgradedWithEveryValueCompared() throws {
        try expectEveryValueKept(upgrading: Self.v3Fixture, from: 3)
        let directory = try TemporaryDirectory()
        let store = try Store(path: try copy(Self.v3Fixture, directory))
        let nan = try store.db.rows("SELECT step, typeof(loss) FROM steps WHERE run_id = 2 ORDER BY step")
        #expect(nan == [[1, "real"], [2, "null"]])
        #expect(try store.db.scalar("SELECT residual FROM runs WHERE id = 1") == "exact")
        #expect(try store.db.scalar("SELECT count(*) FROM runs WHERE host = '' AND pid IS NULL") == .integer(0))
    }

    @Test func anUpgradedDatabaseTakesNewRunsBesideTheOldOnes() throws {
        let directory = try TemporaryDirectory()
        let store = try Store(path: try copy(Self.fixture, directory))
        #expect(try store.db.scalar("SELECT count(*) FROM runs WHERE host = '' AND pid IS NULL") == .integer(4))
        let outcome = try RunExecutor.execute(RunRequest(dataset: .lesson, config: .init()), in: store)
        #expect(outcome.runID == 5)
        let catalog = RunCatalog(store: store)
        #expect(try catalog.list().rows.count == 5)
        #expect(try catalog.summary(of: 2).rows[0][1] == "and 'mini' \"batch\"")
    }

    @Test func aFailingUpgradeLeavesTheFileAsItWas() throws {
        let directory = try TemporaryDirectory()
        let path = try copy(Self.fixture, directory)
        // Text in a measured column cannot become a REAL: the whole upgrade is rolled back.
        try Database(path: path).execute("UPDATE steps SET loss = 'abc' WHERE run_id = 1 AND step = 1")
        let before = try snapshot(try Database(path: path))
        #expect(throws: TrackerError.self) { try Store(path: path) }
        let after = try snapshot(try Database(path: path), columns: before.columns)
        #expect(after.rows == before.rows)
        // Each migration is one transaction: 0002 and 0003 applied, 0004 rolled back entirely.
        #expect(try Database(path: path).scalar("SELECT max(version) FROM schema_migrations") == .integer(3))
    }
}
