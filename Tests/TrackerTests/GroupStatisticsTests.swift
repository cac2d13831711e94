import Charts
import SQLiteDB
import Testing
@testable import Tracker
import Training

/// Runs named and grouped by their settings, and the figures of each group epoch by epoch: the
/// one place `plot --group-by` and `compare --group-by` read them from.
@Suite struct GroupStatisticsTests {
    func run(lr: Double, seed: UInt64, epochs: Int = 5, name: String = "", in store: Store) throws -> Int64 {
        var config = TrainingConfig()
        (config.learningRate, config.seed, config.epochs) = (lr, seed, epochs)
        return try RunExecutor.execute(RunRequest(dataset: .and, config: config, name: name), in: store).runID
    }

    @Test("A group's figures: n and the NaN and infinities counted apart; mean, sample sd, min and max of the finite values")
    func figures() {
        let point = GroupPoint([1, 2, 3, .nan, .infinity])
        #expect(point.n == 3 && point.notFinite == 2 && point.mean == 2 && point.sd == 1 && point.min == 1 && point.max == 3)
        #expect(GroupPoint([5]).sd == nil && GroupPoint([5]).mean == 5)
        #expect(GroupPoint([.nan]).mean == nil && GroupPoint([]).n == 0)
        #expect(GroupPoint([4, 4, 4]).sd == 0)
        let huge = GroupPoint([.greatestFiniteMagnitude, -.greatestFiniteMagnitude, .greatestFiniteMagnitude])
        #expect(huge.mean?.isFinite == true && huge.sd.map { !$0.isNaN } == true, "no overflow into NaN")
    }

    @Test("Settings that differ label runs (lr=0.1 seed=2); equal labels get the run's id; too many differences give none")
    func labels() throws {
        let store = try Store(path: ":memory:")
        let ids = try [(0.1, 1), (0.1, 2), (2, 1), (10, 1)].map { try run(lr: $0.0, seed: UInt64($0.1), in: store) }
        let values = try SettingValues(ids, in: store)
        #expect(values.differing == ["lr", "seed"])
        #expect(values.legendLabels() == ["lr=0.1 seed=1", "lr=0.1 seed=2", "lr=2 seed=1", "lr=10 seed=1"])
        let twice = try SettingValues([ids[0], ids[0]], in: store)
        #expect(twice.legendLabels() == nil, "nothing differs")
        let same = try SettingValues([ids[0], ids[1], try run(lr: 0.1, seed: 2, in: store)], in: store)
        #expect(same.legendLabels() == ["seed=1", "seed=2 #2", "seed=2 #5"])
        try store.db.execute("UPDATE runs SET eps = 1e-7, atol = 1, rtol = 1 WHERE id = 4")
        #expect(try SettingValues(ids, in: store).legendLabels() == nil, "five settings differ: named by id instead")
    }

    @Test("Runs group by any settings, in the order of their values (numbers by size), each group with its runs")
    func groups() throws {
        let store = try Store(path: ":memory:")
        let ids = try [(10, 1), (2, 1), (10, 2), (2, 2), (0.5, 1)].map { try run(lr: $0.0, seed: UInt64($0.1), in: store) }
        let values = try SettingValues(ids, in: store)
        #expect(values.groups(by: ["lr"]) == [RunGroup(label: "lr=0.5", runIDs: [5]), RunGroup(label: "lr=2", runIDs: [2, 4]),
                                              RunGroup(label: "lr=10", runIDs: [1, 3])])
        #expect(values.groups(by: ["seed", "lr"]).map(\.label) == ["seed=1 lr=0.5", "seed=1 lr=2", "seed=1 lr=10",
                                                                   "seed=2 lr=2", "seed=2 lr=10"])
    }

    @Test("A run logged from outside is named and grouped by the keys of the config it gave")
    func externalConfig() throws {
        let store = try Store(path: ":memory:")
        for (width, dropout) in [(64, 0.1), (128, 0.1)] {
            let run = try ExternalRun(store: store, setup: ExternalRunSetup(
                configJSON: "{\"width\": \(width), \"dropout\": \(dropout), \"layers\": [1, 2]}", parameterNames: ["w"]))
            try run.log(ExternalStep(step: 1, epoch: 1, loss: 0.5, values: [1]))
            try run.finish(status: .finished)
        }
        let values = try SettingValues([1, 2], in: store)
        #expect(values.names.contains("dropout") && !values.names.contains("layers"))
        #expect(values.legendLabels() == ["width=64", "width=128"])
    }

    @Test("Runs of different lengths are aligned by epoch: each epoch's figures are over the runs that reached it")
    func alignedByEpoch() throws {
        let store = try Store(path: ":memory:")
        let ids = try [(3, 1), (5, 2), (4, 3)].map { try run(lr: 0.5, seed: UInt64($0.1), epochs: $0.0, in: store) }
        var statistics = try GroupStatistics(.loss, of: [RunGroup(label: "all", runIDs: ids)], steps: false, in: store)
        var seen: [(Int64, GroupPoint)] = []
        while let (epoch, points) = try statistics.next() { seen.append((epoch, try #require(points[0]))) }
        #expect(seen.map(\.0) == [1, 2, 3, 4, 5] && seen.map(\.1.n) == [3, 3, 3, 2, 1])
        for (epoch, point) in seen {
            let losses = try store.db.rows("SELECT mean_loss FROM epochs WHERE epoch = ? ORDER BY run_id", [.integer(epoch)])
                .compactMap { $0[0].doubleValue }
            #expect(point == GroupPoint(losses), "epoch \(epoch)")
            #expect(abs((point.mean ?? 0) - losses.reduce(0, +) / Double(losses.count)) < 1e-15)
        }
    }

    @Test("A network still training has no not-finite end-of-epoch values: its final values are not written yet")
    func runningRunHasNoUnwrittenFinals() throws {
        let store = try Store(path: ":memory:")
        var config = TrainingConfig()
        (config.epochs, config.hidden, config.learningRate) = (50, [3], 1)
        let id = try RunExecutor.execute(RunRequest(dataset: .xor, config: config), in: store).runID
        // The rows of a run between two commits of its trainer: still running, no final values.
        try store.db.execute("UPDATE runs SET status = 'running' WHERE id = \(id)")
        try store.db.execute("UPDATE params SET final = NULL WHERE run_id = \(id)")
        let names = try RunCatalog(store: store).parameterNames(of: id)
        var bands = GroupBands(count: 1, shapedLike: Envelope(width: 10, xDomain: 1...50))
        try ChartReader(store: store).readEveryParameter(names, of: id, errors: false, steps: false,
                                                         into: &bands, groups: names.map { _ in 0 })
        #expect(bands.ranges[0].nonFiniteCount == 0)
        #expect(!bands.ranges[0].filledColumns.isEmpty)
    }

    @Test("A network's median lines are the same read from block summaries as read row by row")
    func mediansFromBlocks() throws {
        let store = try Store(path: ":memory:")
        var config = TrainingConfig()
        (config.epochs, config.hidden, config.learningRate) = (3000, [3], 1)
        let id = try RunExecutor.execute(RunRequest(dataset: .xor, config: config), in: store).runID
        let names = try RunCatalog(store: store).parameterNames(of: id)
        let groups = names.map { $0.hasPrefix("l1.") ? 0 : 1 }
        let steps = try #require(try store.db.scalar("SELECT step_count FROM runs")?.doubleValue)
        let shape = Envelope(width: 4, xDomain: 1...steps)
        #expect(ChartReader.blocksPay(shape))
        func read() throws -> GroupBands {
            var bands = GroupBands(count: 2, shapedLike: shape)
            try ChartReader(store: store).readEveryParameter(names, of: id, errors: false, steps: true, into: &bands, groups: groups)
            return bands
        }
        let fromBlocks = try read()
        try store.db.execute("DELETE FROM gradient_blocks")
        let fromRows = try read()
        #expect(fromBlocks.ranges.map(\.columns) == fromRows.ranges.map(\.columns))
        #expect(fromBlocks.medians.map(\.columns) == fromRows.medians.map(\.columns))
        #expect(fromBlocks.medians.allSatisfy { $0.filledColumns == [0, 1, 2, 3] })
    }
}
