import SQLiteDB
import Testing
import Tracker
import Training
@testable import GradlogCLI

/// NaN is stored as SQL NULL, the infinities as SQLite's own, and every export says so in its own way.
@Suite struct SpecialValueTests {
    let cli: CLIHarness

    init() throws {
        cli = try CLIHarness()
        let store = try Store(path: cli.database)
        var config = TrainingConfig()
        config.epochs = 1
        let trainer = Trainer(dataset: .lesson, config: config)
        let recorder = try RunRecorder(store: store, request: RunRequest(dataset: .lesson, config: config), trainer: trainer)
        var record = StepRecord(parameterCount: 2)
        record.step = 1
        record.epoch = 1
        record.batchSize = 1
        record.loss = .nan
        record.values = [-0.0, 1.5]
        record.analytic = [.infinity, 0.25]
        record.numeric = [-.infinity, -0.0]
        try recorder.log(record, endOfEpoch: nil)
        try recorder.finish(status: .diverged, error: "made by hand", parameters: [-0.0, .nan])
    }

    @Test func theDatabaseHoldsRealsAndNullForNaN() throws {
        let db = try Database(path: cli.database)
        #expect(try db.scalar("SELECT typeof(loss) FROM steps") == "null")
        let row = try db.rows("SELECT value, analytic, numeric FROM gradients WHERE param = 'w'")[0]
        #expect(row == [.real(0.0), .real(.infinity), .real(-.infinity)])
        #expect(try db.scalar("SELECT typeof(rel_error) FROM gradients WHERE param = 'w'") == "null")
        #expect(try db.scalar("SELECT mean_loss IS NULL AND worst_rel_error IS NULL FROM epochs") == .integer(1))
        #expect(try db.scalar("SELECT final FROM params WHERE param = 'b'") == .null)
    }

    @Test func csvAndTSVWriteNaNAsAnEmptyFieldAndTheInfinitiesAsWords() {
        let csv = cli.run(["report", "1", "--steps", "--csv"]).out
        #expect(csv.contains("\r\n1,1,1,,0.0,inf,-inf,inf,,0,1.5,0.25,0.0,0.25,1.0,0\r\n"), "\(csv)")
        let tsv = cli.run(["report", "1", "--steps", "--tsv"]).out
        #expect(tsv.contains("1\t1\t1\t\t0.0\tinf\t-inf\tinf\t\t0"))
    }

    @Test func jsonUsesNullForNaNAndStringsForTheInfinities() {
        let json = cli.run(["report", "1", "--steps", "--json"]).out
        #expect(json.contains(#""loss": null, "w": 0.0, "w_analytic": "Infinity", "w_numeric": "-Infinity""#), "\(json)")
    }

    @Test func tablesAndMarkdownShowTheInfinities() {
        let table = cli.run(["report", "1", "--steps"]).out
        let markdown = cli.run(["report", "1", "--steps", "--markdown"]).out
        for text in [table, markdown] {
            #expect(text.contains("inf") && text.contains("-inf"))
        }
    }

    @Test func showLeavesANaNFinalEmpty() {
        let show = cli.run(["show", "1", "--csv"]).out
        #expect(show.contains("b.final,\r\n"))
        #expect(show.contains("w.final,0.0"))
    }
}
