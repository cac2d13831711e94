import SQLiteDB
import Testing
import Tracker
import Training
@testable import GradlogCLI

/// NaN (with its payload), the infinities and -0.0 survive storage and every export.
@Suite struct SpecialValueTests {
    let cli: CLIHarness
    static let payloadNaN = Double(bitPattern: 0x7FF8_0000_0000_0123)

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
        record.loss = Self.payloadNaN
        record.values = [-0.0, 1.5]
        record.analytic = [.infinity, 0.25]
        record.numeric = [-.infinity, -0.0]
        try recorder.log(record)
        try recorder.finish(status: .diverged, error: "made by hand", parameters: [-0.0, .nan])
    }

    @Test func theDatabaseKeepsEveryBit() throws {
        let db = try Database(path: cli.database)
        #expect(try db.scalar("SELECT hex(loss) FROM steps") == "7FF8000000000123")
        let row = try db.rows("SELECT value, analytic, numeric FROM gradients WHERE param = 'w'")[0]
        #expect(row == [.real(-0.0), .real(.infinity), .real(-.infinity)])
        #expect(try db.scalar("SELECT typeof(rel_error) FROM gradients WHERE param = 'w'") == "blob")
        #expect(try db.scalar("SELECT numeric FROM gradients WHERE param = 'b'") == .real(-0.0))
    }

    @Test func csvAndTSVWriteNanInfAndNegativeZero() {
        let csv = cli.run(["report", "1", "--steps", "--csv"]).out
        #expect(csv.contains("\r\n1,1,1,nan,-0.0,inf,-inf,inf,nan,0,1.5,0.25,-0.0,0.25,1.0,0\r\n"), "\(csv)")
        let tsv = cli.run(["report", "1", "--steps", "--tsv"]).out
        #expect(tsv.contains("1\t1\t1\tnan\t-0.0\tinf\t-inf\tinf\tnan\t0"))
    }

    @Test func jsonUsesStringsForWhatJSONCannotSay() {
        let json = cli.run(["report", "1", "--steps", "--json"]).out
        #expect(json.contains(#""loss": "NaN", "w": -0.0, "w_analytic": "Infinity", "w_numeric": "-Infinity""#), "\(json)")
    }

    @Test func tablesAndMarkdownShowTheSameWords() {
        let table = cli.run(["report", "1", "--steps"]).out
        let markdown = cli.run(["report", "1", "--steps", "--markdown"]).out
        for text in [table, markdown] {
            #expect(text.contains("nan") && text.contains("-inf") && text.contains("-0.0"))
        }
    }

    @Test func showDecodesAStoredNaN() {
        let show = cli.run(["show", "1", "--csv"]).out
        #expect(show.contains("b.final,nan"))
        #expect(show.contains("w.final,-0.0"))
    }
}
