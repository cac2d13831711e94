import Charts
import SQLiteDB
import Testing
import Training
@testable import Tracker

/// `ChartReader.points(_:of:steps:in:)`: a range of x read by the key gives exactly the points of
/// the whole series that lie in it.
@Suite struct ChartReaderRangeTests {
    /// Every point of `quantity`, and those of the range 4...11 read by the key.
    static func both(_ reader: ChartReader, _ quantity: ChartReader.Quantity, of id: Int64, steps: Bool) throws -> (whole: [[Double]], ranged: [[Double]]) {
        var whole: [[Double]] = [], ranged: [[Double]] = []
        try reader.points(quantity, of: id, steps: steps) { whole.append([$0, $1]) }
        try reader.points(quantity, of: id, steps: steps, in: 4...11) { ranged.append([$0, $1]) }
        return (whole.filter { (4...11).contains($0[0]) }, ranged)
    }

    @Test("Each quantity per step and per epoch read over a range is the whole series' points in that range, a metric's epochs included")
    func rangedPointsAreTheWholeSeriesInTheRange() throws {
        let store = try Store(path: ":memory:")
        let run = try ExternalRun(store: store, setup: ExternalRunSetup(parameterNames: ["w"]), commitInterval: 0)
        // Three steps an epoch; the metric every other step, so that some epochs' last value comes from an earlier step of it
        // and a metric logged only every fifth step leaves epochs without one.
        for step in 1...45 {
            var metrics: [(name: String, value: Double)] = step % 2 == 0 ? [(name: "val", value: Double(step) / 10)] : []
            if step % 5 == 0 { metrics.append((name: "rare", value: Double(step))) }
            try run.log(ExternalStep(step: step, epoch: (step + 2) / 3, loss: 1 / Double(step), values: [0.5], metrics: metrics))
        }
        try run.finish(status: .finished)
        var config = TrainingConfig()
        config.epochs = 20
        let trained = try RunExecutor.execute(RunRequest(dataset: .and, config: config), in: store).runID
        let reader = ChartReader(store: store)
        let cases: [(ChartReader.Quantity, Int64, Bool)] = [
            (.loss, 1, false), (.loss, 1, true), (.metric("val"), 1, false), (.metric("val"), 1, true),
            (.metric("rare"), 1, false), (.accuracy, trained, false), (.figure("worst_rel_error"), trained, false),
        ]
        for (quantity, id, steps) in cases {
            let (whole, ranged) = try Self.both(reader, quantity, of: id, steps: steps)
            #expect(ranged == whole && !ranged.isEmpty, "\(quantity) per \(steps ? "step" : "epoch")")
        }
        // Epochs 4 to 11 of the rare metric: only those with a fifth step in them.
        let (_, rare) = try Self.both(reader, .metric("rare"), of: 1, steps: false)
        #expect(rare.map { $0[0] } == [4, 5, 7, 9, 10])
    }

    @Test("Every parameter over a range of epochs or steps, read only in that range, is each parameter's values there", arguments: [nil, 1])
    func parametersOverARange(batchSize: Int?) throws {
        let store = try Store(path: ":memory:")
        var config = TrainingConfig()
        (config.epochs, config.batchSize) = (20, batchSize)
        let id = try RunExecutor.execute(RunRequest(dataset: .and, config: config), in: store).runID
        let names = try RunCatalog(store: store).parameterNames(of: id)
        for (errors, steps) in [(false, false), (false, true), (true, true)] {
            let shape = Envelope(width: 620, xDomain: 4...11, clipped: true)
            var bands = GroupBands(count: names.count, shapedLike: shape)
            try ChartReader(store: store).readEveryParameter(names, of: id, errors: errors, steps: steps, into: &bands,
                                                             groups: Array(names.indices))
            for (k, name) in names.enumerated() {
                var expected = Envelope(shapedLike: shape)
                // Per epoch: the value the step after the epoch's last started from; per step: the step's own row.
                let sql = steps ? "SELECT step AS x, \(errors ? "rel_error" : "value") AS y FROM gradients WHERE run_id = ?1 AND param = ?2"
                    : "SELECT e.epoch AS x, g.value AS y FROM epochs AS e JOIN gradients AS g ON g.run_id = ?1 AND g.param = ?2 "
                    + "AND g.step = e.last_step + 1 WHERE e.run_id = ?1"
                for row in try store.db.rows(sql, [.integer(id), .text(name)]) {
                    guard let x = row[0].doubleValue, let y = row[1].doubleValue else { continue }
                    expected.add(x: x, y: y)
                }
                #expect(bands.ranges[k].columns == expected.columns, "\(name) errors \(errors) steps \(steps)")
                #expect(bands.ranges[k].filledColumns.count == 8, "\(name)")
            }
        }
    }
}
