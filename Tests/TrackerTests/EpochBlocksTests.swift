import Charts
import Foundation
import SQLiteDB
import TestSupport
import Testing
@testable import Tracker
@testable import Training

@Suite struct EpochBlocksTests {
    func run(_ dataset: Dataset = .lesson, epochs: Int, in store: Store) throws -> Int64 {
        var config = TrainingConfig()
        config.epochs = epochs
        return try RunExecutor.execute(RunRequest(dataset: dataset, config: config), in: store).runID
    }

    @Test func aRunWritesOneBlockPer256EpochsAndTheLastPartOne() throws {
        let store = try Store(path: ":memory:")
        let id = try run(epochs: 600, in: store)
        #expect(try store.db.rows("SELECT block, first_epoch, last_epoch, epochs FROM epoch_blocks ORDER BY block")
            == [[0, 1, 256, 256], [1, 257, 512, 256], [2, 513, 600, 88]])
        let losses = try store.db.column(Double.self, "SELECT mean_loss FROM epochs WHERE epoch BETWEEN 257 AND 512")
        #expect(try store.db.rows("SELECT mean_loss_low, mean_loss_high, mean_loss_nan FROM epoch_blocks WHERE block = 1")
            == [[.real(losses.min() ?? .nan), .real(losses.max() ?? .nan), 0]])
        #expect(try EpochBlocks.firstDisagreement(id, in: store.db) == nil)
    }

    @Test func everySummarisedFigureIsAColumnOfTheEpochsTable() {
        #expect(EpochBlocks.figures.allSatisfy { name in EpochRow.columns.contains { $0.name == name && $0.measure != nil } })
    }

    @Test func blocksCountedInSwiftWhileTrainingEqualTheSummaryInSQLEvenWithNaNAndInfinities() throws {
        let store = try Store(path: ":memory:")
        var config = TrainingConfig()
        config.learningRate = 1e308
        config.loss = .textbook
        config.epochs = 10
        let id = try RunExecutor.execute(RunRequest(dataset: .or, config: config), in: store).runID
        #expect(try store.db.scalar("SELECT status FROM runs") == "diverged")
        let special = try store.db.scalar(
            "SELECT sum(mean_loss_nan + mean_loss_plus_inf + worst_rel_error_nan + worst_rel_error_plus_inf) FROM epoch_blocks")
        #expect((special?.int64Value ?? 0) > 0)
        #expect(try EpochBlocks.firstDisagreement(id, in: store.db) == nil)
    }

    @Test func aKilledRunGetsTheBlocksAfterTheLastOneItWrote() throws {
        let store = try Store(path: ":memory:")
        let (recorder, _, _) = try CrashSweepTests.killedLessonRun(in: store, epochs: 1000, logged: 700)
        #expect(try store.db.scalar("SELECT max(last_epoch) FROM epoch_blocks") == .integer(512))
        try CrashSweep.sweep(store.db)
        #expect(try store.db.scalar("SELECT max(last_epoch) FROM epoch_blocks") == .integer(700))
        #expect(try EpochBlocks.firstDisagreement(recorder.runID, in: store.db) == nil)
        #expect(try RunVerifier.verify(recorder.runID, in: store).difference == nil)
    }

    @Test func aRunLoggedFromOutsideGetsItsBlocksWithItsAccuracyUnknown() throws {
        let store = try Store(path: ":memory:")
        let run = try ExternalRun(store: store, setup: ExternalRunSetup(name: "outside", parameterNames: ["w"]), commitInterval: 0)
        for step in 1...600 {
            try run.log(ExternalStep(step: step, epoch: step, loss: 1 / Double(step), values: [Double(step)]))
        }
        let id = try #require(try run.finish(status: .finished))
        #expect(try store.db.rows("SELECT block, epochs, accuracy_nan FROM epoch_blocks ORDER BY block")
            == [[0, 256, 256], [1, 256, 256], [2, 88, 88]])
        #expect(try EpochBlocks.firstDisagreement(id, in: store.db) == nil)
    }

    @Test func verifyNamesABlockThatNoLongerSummarisesItsEpochs() throws {
        let store = try Store(path: ":memory:")
        let id = try run(epochs: 300, in: store)
        try store.db.run("UPDATE epoch_blocks SET mean_loss_high = mean_loss_high * 2 WHERE block = 1")
        let difference = try RunVerifier.verify(id, in: store).difference
        #expect(difference?.column == "epoch_blocks")
        #expect(try EpochBlocks.firstDisagreement(id, in: store.db) == 1)
        try store.db.run("DELETE FROM epoch_blocks WHERE block = 1")
        #expect(try EpochBlocks.firstDisagreement(id, in: store.db) == 1)
    }

    @Test func theMigrationComputesTheBlocksOfRunsLoggedBeforeIt() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("old.db")
        try FileManager.default.copyItem(atPath: UpgradeTests.v3Fixture, toPath: path)
        let store = try Store(path: path)
        let migration = Store.migrator.migrations.first { $0.version == MigrationCatalog.epochBlocksVersion }
        #expect(migration?.name.contains("epoch_blocks") == true)
        #expect(migration?.backfill != nil)
        let runs = try store.db.column(Int64.self, "SELECT id FROM runs")
        #expect(!runs.isEmpty)
        #expect(try store.db.scalar("SELECT count(DISTINCT run_id) FROM epoch_blocks")
            == store.db.scalar("SELECT count(DISTINCT run_id) FROM epochs"))
        for id in runs { #expect(try EpochBlocks.firstDisagreement(id, in: store.db) == nil, "run \(id)") }
    }

    @Test func aMergedRunGetsTheSameBlocksAsItsSource() throws {
        let directory = try TemporaryDirectory()
        let there = try Store(path: directory.file("there.db"))
        _ = try run(epochs: 700, in: there)
        let here = try Store(path: directory.file("here.db"))
        #expect(try RunMerger.merge(from: directory.file("there.db"), into: here).map(\.action) == [.copied])
        #expect(try here.db.rows("SELECT * FROM epoch_blocks ORDER BY block") == there.db.rows("SELECT * FROM epoch_blocks ORDER BY block"))
        #expect(try here.db.scalar("SELECT count(*) FROM epoch_blocks") == .integer(3))
    }

    /// A lesson run with NaN, +Inf and -Inf among its epochs' figures, and blocks rewritten to match.
    func runWithSpecialValues(epochs: Int, in store: Store) throws -> Int64 {
        let id = try run(epochs: epochs, in: store)
        try store.db.execute("UPDATE epochs SET mean_loss = NULL, accuracy = NULL WHERE epoch IN (8, 1002, 2997)")
        try store.db.execute("UPDATE epochs SET mean_loss = 9e999, worst_rel_error = 9e999 WHERE epoch IN (701, 1506)")
        try store.db.execute("UPDATE epochs SET mean_loss = -9e999, worst_rel_error = NULL WHERE epoch = 1499")
        try store.db.execute("DELETE FROM epoch_blocks")
        try EpochBlocks.complete(id, in: store.db)
        return id
    }

    /// `quantity` read into `empty` through the blocks, against every row added one by one.
    func expectSameColumns(_ quantity: ChartReader.Quantity, _ id: Int64, _ store: Store, like empty: Envelope,
                           range: ClosedRange<Int64>? = nil) throws {
        let reader = ChartReader(store: store)
        var want = empty, got = empty
        try reader.points(quantity, of: id, steps: false, in: range) { want.add(x: $0, y: $1) }
        try reader.read(quantity, of: id, steps: false, in: range, into: &got)
        #expect(got.columns == want.columns, "\(quantity)")
        #expect(!want.isEmpty)
    }

    @Test func chartsReadFromBlocksEqualChartsReadRowByRow() throws {
        let store = try Store(path: ":memory:")
        let id = try runWithSpecialValues(epochs: 3000, in: store)
        // Four columns of 750 epochs: most blocks are merged whole, some straddle two columns.
        let empty = Envelope(width: 4, xDomain: 1...3000)
        #expect(ChartReader.blocksPay(empty, blockSize: EpochBlocks.size))
        for quantity in [ChartReader.Quantity.loss, .accuracy, .figure("worst_rel_error"), .figure("failed_checks")] {
            try expectSameColumns(quantity, id, store, like: empty)
        }
        #expect(empty.columns.count == 4)
        let zoomed = Envelope(width: 2, xDomain: 300...2800, clipped: true)
        try expectSameColumns(.loss, id, store, like: zoomed, range: 300...2800)
        try expectSameColumns(.accuracy, id, store, like: zoomed, range: 300...2800)
    }

    @Test("a block across two columns is split at the first epoch of the second, whatever the widths")
    func aBlockAcrossTwoColumnsIsSplitAtTheFirstEpochOfTheSecond() {
        // Every block of the short domains, and every 37th of the lesson's 10,000,000 epochs over 640 columns.
        for (width, domain, every) in [(4, 1.0...3000.0, 1), (5, 1.0...3000.0, 1), (640, 1.0...10_000_000.0, 37), (3, 300.0...2800.0, 1)] {
            let envelope = Envelope(width: width, xDomain: domain, clipped: true)
            for block in stride(from: Int64(0), to: Int64(domain.upperBound) / EpochBlocks.size, by: every) {
                let epochs = block * EpochBlocks.size + 1...block * EpochBlocks.size + EpochBlocks.size
                var want: Int64?
                if let first = envelope.place(of: Double(epochs.lowerBound)), envelope.place(of: Double(epochs.upperBound)) == first + 1 {
                    want = epochs.first { envelope.place(of: Double($0)) != first }
                }
                #expect(EpochSeries.split(epochs, of: envelope) == want, "\(width) columns, block \(block)")
            }
        }
    }

    @Test("charts of many columns, where most blocks across two are all finite, equal those read row by row")
    func chartsOfManyColumnsEqualChartsReadRowByRow() throws {
        let store = try Store(path: ":memory:")
        let id = try runWithSpecialValues(epochs: 6000, in: store)
        let empty = Envelope(width: 11, xDomain: 1...6000)
        #expect(ChartReader.blocksPay(empty, blockSize: EpochBlocks.size))
        for quantity in [ChartReader.Quantity.loss, .accuracy, .figure("worst_rel_error")] {
            try expectSameColumns(quantity, id, store, like: empty)
        }
        try expectSameColumns(.loss, id, store, like: Envelope(width: 3, xDomain: 300...5800, clipped: true), range: 300...5800)
    }

    @Test func theNewestEpochsOfARunStillTrainingAndEditedBlocksAreReadFromTheRows() throws {
        let store = try Store(path: ":memory:")
        let id = try run(epochs: 2000, in: store)
        let empty = Envelope(width: 2, xDomain: 1...2000)
        try store.db.execute("DELETE FROM epoch_blocks WHERE block > 3")
        try expectSameColumns(.loss, id, store, like: empty)
        try store.db.execute("UPDATE epoch_blocks SET block = 9223372036854775000 WHERE block = 1")
        try expectSameColumns(.loss, id, store, like: empty)
    }

    @Test func anExternalRunsUnknownAccuracyIsNotDrawnFromTheBlocksEither() throws {
        let store = try Store(path: ":memory:")
        let id = try run(epochs: 2000, in: store)
        try store.db.execute("UPDATE runs SET source = 'external'")
        try store.db.execute("UPDATE epochs SET accuracy = NULL WHERE epoch % 3 = 0")
        try store.db.execute("DELETE FROM epoch_blocks")
        try EpochBlocks.complete(id, in: store.db)
        try expectSameColumns(.accuracy, id, store, like: Envelope(width: 2, xDomain: 1...2000))
    }
}
