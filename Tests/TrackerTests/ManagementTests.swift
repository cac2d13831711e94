import Foundation
import SQLiteDB
import TestSupport
import Testing
@testable import Tracker
@testable import Training

@Suite struct MergeTests {
    func addRun(_ store: Store, _ data: Dataset, seed: UInt64, name: String) throws -> Int64 {
        var config = TrainingConfig()
        config.epochs = 15
        config.seed = seed
        config.batchSize = data.sampleCount > 1 ? 2 : nil
        return try RunExecutor.execute(RunRequest(dataset: data, config: config, name: name, tags: [("from", name)]), in: store).runID
    }

    func uuids(_ store: Store) throws -> [String] {
        try store.db.rows("SELECT uuid FROM runs ORDER BY uuid").compactMap { $0[0].stringValue }
    }

    @Test func twoMachinesDatabasesMergeWithoutDuplicatesAndEveryRunStillVerifies() throws {
        let directory = try TemporaryDirectory()
        let here = try Store(path: directory.file("here.db"))
        _ = try addRun(here, .lesson, seed: 1, name: "here 1")
        _ = try addRun(here, .and, seed: 2, name: "here 2")
        try here.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        try FileManager.default.copyItem(atPath: directory.file("here.db"), toPath: directory.file("there.db"))
        let there = try Store(path: directory.file("there.db"))
        _ = try addRun(there, .or, seed: 3, name: "there 3")
        _ = try addRun(there, .xor, seed: 4, name: "there 4")
        let copied = try RunMerger.merge(from: directory.file("there.db"), into: here)
        #expect(copied.map(\.name) == ["there 3", "there 4"])
        #expect(copied.map(\.targetID) == [3, 4])
        #expect(copied.map(\.action) == [.copied, .copied])
        #expect(try uuids(here) == (try uuids(there)))
        #expect(try RunMerger.merge(from: directory.file("there.db"), into: here).isEmpty)
        #expect(try here.db.scalar("SELECT count(*) FROM runs") == .integer(4))
        for id in 1...4 {
            #expect(try RunVerifier.verify(Int64(id), in: here).difference == nil, "run \(id)")
        }
        #expect(try here.db.scalar("SELECT value FROM tags WHERE run_id = 4") == "there 4")
        #expect(try here.db.rows("PRAGMA foreign_key_check") == [])
    }

    @Test func anOlderDatabaseIsUpgradedOnTheWayInAndLeftUnchanged() throws {
        let directory = try TemporaryDirectory()
        let old = directory.file("old.db")
        try FileManager.default.copyItem(atPath: UpgradeTests.fixture, toPath: old)
        let before = try Data(contentsOf: URL(fileURLWithPath: old))
        let store = try Store(path: directory.file("new.db"))
        let copied = try RunMerger.merge(from: old, into: store)
        #expect(copied.count == 4)
        #expect(try Data(contentsOf: URL(fileURLWithPath: old)) == before)
        for id in 1...4 {
            #expect(try RunVerifier.verify(Int64(id), in: store).difference == nil, "run \(id)")
        }
    }

    @Test func aNewerOrForeignOrMissingFileIsRefused() throws {
        let directory = try TemporaryDirectory()
        let store = try Store(path: directory.file("main.db"))
        let newer = directory.file("newer.db")
        do {
            let other = try Store(path: newer)
            try other.db.run("INSERT INTO schema_migrations VALUES (99, 'future', 'later')")
        }
        #expect(throws: TrackerError.self) { try RunMerger.merge(from: newer, into: store) }
        let foreign = directory.file("foreign.db")
        try Database(path: foreign).execute("CREATE TABLE customers (id INTEGER)")
        #expect(throws: TrackerError.self) { try RunMerger.merge(from: foreign, into: store) }
        let missing = #expect(throws: TrackerError.self) { try RunMerger.merge(from: directory.file("nope.db"), into: store) }
        #expect(missing == .unreadableFile(path: directory.file("nope.db"), reason: .noSuchFile))
    }
}

@Suite struct EditTests {
    @Test func removingRunsLeavesNoOrphansAndShrinksTheFile() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("rm.db")
        let store = try Store(path: path)
        var config = TrainingConfig()
        config.epochs = 20_000
        let big = try RunExecutor.execute(RunRequest(dataset: .lesson, config: config), in: store).runID
        config.epochs = 10
        let small = try RunExecutor.execute(RunRequest(dataset: .and, config: config, tags: [("k", "v")]), in: store).runID
        try store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        let pagesBefore = try store.db.scalar("PRAGMA page_count")?.int64Value ?? 0
        let editor = RunEditor(store: store)
        let dry = try editor.remove([big], dryRun: true)
        #expect(dry == [RunListing(id: big, name: "", status: "finished", steps: 20_000)])
        #expect(try store.db.scalar("SELECT count(*) FROM steps WHERE run_id = ?", [.integer(big)]) == 20_000)
        _ = try editor.remove([big, small], dryRun: false)
        for table in ["runs", "steps", "gradients", "params", "samples", "sample_inputs", "tags"] {
            #expect(try store.db.scalar("SELECT count(*) FROM \(table)") == .integer(0), "\(table)")
        }
        let pagesAfter = try store.db.scalar("PRAGMA page_count")?.int64Value ?? 0
        #expect(pagesAfter * 10 < pagesBefore, "\(pagesBefore) pages before, \(pagesAfter) after")
    }

    @Test func vacuumShrinksAnOldDatabaseAfterDeletion() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("old.db")
        try FileManager.default.copyItem(atPath: UpgradeTests.fixture, toPath: path)
        let store = try Store(path: path)
        #expect(try store.db.scalar("PRAGMA auto_vacuum") == .integer(0))
        var config = TrainingConfig()
        config.epochs = 20_000
        let big = try RunExecutor.execute(RunRequest(dataset: .lesson, config: config), in: store).runID
        _ = try RunEditor(store: store).remove([1, 2, 3, 4, big], dryRun: false)
        let outcome = try RunEditor(store: store).vacuum()
        #expect(outcome.bytesAfter < outcome.bytesBefore && outcome.logFolded)
        #expect(try store.db.scalar("PRAGMA auto_vacuum") == .integer(2))
        let onDisk = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int64
        #expect(onDisk == outcome.bytesAfter)
    }

    // A checkpoint that waited for such a reader held every writer off for the whole busy timeout.
    @Test func vacuumWaitsForNoReaderOfAnOlderSnapshotAndSaysTheLogIsNotFolded() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("read.db")
        let store = try Store(path: path)
        _ = try RunExecutor.execute(RunRequest(dataset: .lesson, config: TrainingConfig()), in: store)
        let reader = try Database(path: path)
        try reader.execute("BEGIN")
        _ = try reader.scalar("SELECT count(*) FROM steps")
        store.db.setBusyTimeout(milliseconds: 5_000)
        let clock = ContinuousClock(), start = clock.now
        let outcome = try RunEditor(store: store).vacuum()
        #expect(clock.now - start < .seconds(4))
        #expect(!outcome.logFolded)
        let other = try Database(path: path)  // no busy timeout: a held lock fails it at once
        try other.execute("INSERT INTO tags (run_id, key, value) VALUES (1, 'k', 'v')")
        try reader.execute("COMMIT")
        #expect(store.db.checkpointWithoutWaiting())
    }

    @Test func tagsAndNotesChangeAfterTheFact() throws {
        let store = try Store(path: ":memory:")
        let id = try RunExecutor.execute(RunRequest(dataset: .lesson, config: TrainingConfig(), tags: [("a", "1")]), in: store).runID
        let editor = RunEditor(store: store)
        try editor.tag(id, set: [("a", "2"), ("b", "x;'y'\n")], removing: [])
        try editor.tag(id, set: [], removing: ["a"])
        try editor.note(id, "looks good ✓ \"really\"")
        #expect(try store.db.rows("SELECT key, value FROM tags") == [["b", "x;'y'\n"]])
        #expect(try store.db.scalar("SELECT note FROM runs") == "looks good ✓ \"really\"")
    }
}

@Suite struct FilterTests {
    @Test func runsAreFilteredAndSorted() throws {
        let store = try Store(path: ":memory:")
        for (name, data, lr, tag) in [("alpha one", Dataset.lesson, 0.1, "x"), ("beta", .and, 0.5, "y"),
                                      ("alpha two", .and, 0.3, "x")] {
            var config = TrainingConfig()
            config.epochs = 3
            config.learningRate = lr
            _ = try RunExecutor.execute(RunRequest(dataset: data, config: config, name: name, tags: [("group", tag)]), in: store)
        }
        let catalog = RunCatalog(store: store)
        func ids(_ configure: (inout RunFilter) -> Void) throws -> [SQLiteValue] {
            var filter = RunFilter()
            configure(&filter)
            return try catalog.list(filter).rows.map { $0[0] }
        }
        #expect(try ids { $0.name = "alpha" } == [1, 3])
        #expect(try ids { $0.name = "*two" } == [3])
        #expect(try ids { $0.dataset = "and" } == [2, 3])
        #expect(try ids { $0.tags = [("group", "x")] } == [1, 3])
        #expect(try ids { $0.status = "finished"; $0.sort = .lr; $0.descending = true } == [2, 3, 1])
        #expect(try ids { $0.sort = .lr; $0.limit = 2 } == [1, 3])
        #expect(try ids { $0.since = "2000-01-01" } == [1, 2, 3])
        #expect(try ids { $0.since = "2999" } == [])
        #expect(try ids { $0.status = "crashed" } == [])
    }
}
