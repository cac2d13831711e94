import Charts
import Foundation
import HTMLPages
import SQLiteDB
import Testing
import TestSupport
import Tracker
import Training
@testable import GradlogServe

/// The run page's charts (live data, zoom by `?from&to` and by the series route), a network's
/// layers, a running run's summary and the event stream's text as the page prints it.
@Suite struct RunPageTests {
    /// The JSON of a series answer.
    static func json(_ response: WebResponse) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(response.bodyText.utf8)) as? [String: Any])
    }

    /// Each column's `[low, high]` (nil when empty) from the text of a JSON array of `[low, high,
    /// others]` or 0, read with `Double(_:)`: Foundation's JSON reader may round a double's last digit.
    static func columns(_ text: String) -> [[Double]?] {
        var out: [[Double]?] = []
        for match in text.dropFirst().dropLast().matches(of: /\[([^\[\],]+),([^\[\],]+),([0-9]+)\]|0/) {
            if let low = match.output.1, let high = match.output.2 {
                out.append([Double(String(low)) ?? .nan, Double(String(high)) ?? .nan])
            } else {
                out.append(nil)
            }
        }
        return out
    }

    /// The text of the `columns` array of a series answer.
    static func columnsText(_ body: String) -> String {
        guard let start = body.range(of: "\"columns\":")?.upperBound, let end = body.lastIndex(of: "]") else { return "" }
        return String(body[start...end])
    }

    /// An envelope's columns in the same form.
    static func columns(_ envelope: Envelope) -> [[Double]?] {
        envelope.columns.map { column in column.low.flatMap { low in column.high.map { [low, $0] } } }
    }

    /// The mean loss of epoch `epoch` of `ServedDatabase.addRun`'s runs (loss 1/step, `perEpoch` steps an epoch).
    static func meanLoss(_ epoch: Int, perEpoch: Int) -> Double {
        let steps = ((epoch - 1) * perEpoch + 1)...(epoch * perEpoch)
        return steps.map { 1 / Double($0) }.reduce(0, +) / Double(perEpoch)
    }

    @Test("The series route's columns are the chart code's envelope over only that range, and the epochs' own values")
    func seriesIsTheEnvelopeOfTheRange() throws {
        let database = try ServedDatabase()
        try database.addRun(steps: 40, perEpoch: 2)
        let answer = database.appResponse("/runs/1/series?chart=loss&from=4&to=12")
        #expect(answer.status == 200 && answer.header("Content-Type") == "application/json; charset=utf-8")
        let json = try Self.json(answer)
        #expect(json["from"] as? Int == 4 && json["to"] as? Int == 12 && json["x"] as? [Double] == [4, 12])
        var builder = ChartBuilder(store: try Store(path: database.path, access: .readOnly), kind: .loss, perStep: false, logY: false)
        builder.window = (4, 12)
        let envelope = try #require(try builder.chart(of: [1]).series.first?.envelope)
        let columns = Self.columns(Self.columnsText(answer.bodyText))
        #expect(columns.count == LineChart.plotWidth && columns == Self.columns(envelope))
        // Computed apart from the chart code: epochs 4 to 12, each in its column of 620 over 4...12.
        var expected = Envelope(width: LineChart.plotWidth, xDomain: 4...12, clipped: true)
        for epoch in 4...12 { expected.add(x: Double(epoch), y: Self.meanLoss(epoch, perEpoch: 2)) }
        #expect(columns == Self.columns(expected))
        #expect(columns.compactMap { $0 }.count == 9)
        // The whole run when no range is given: from 1 to its last epoch.
        let whole = database.appResponse("/runs/1/series?chart=loss")
        #expect(try Self.json(whole)["x"] as? [Double] == [1, 20])
        #expect(Self.columns(Self.columnsText(whole.bodyText)).compactMap { $0 }.count == 20)
    }

    @Test("The series route refuses a bad chart, range or parameter with 400 and an unknown metric or run with 404")
    func seriesRefusesBadInput() throws {
        let database = try ServedDatabase()
        try database.addRun()
        for query in ["", "chart=", "chart=params", "chart=gradcheck", "chart=loss&chart=loss", "chart=loss&from=x",
                      "chart=loss&from=-1", "chart=loss&from=5&to=3", "chart=loss&to=1000000000001", "chart=loss&from=1&from=2",
                      "chart=loss&step=3", "chart=l%00ss", "chart=loss&from=01", "chart=a%20b"] {
            let answer = database.appResponse("/runs/1/series?\(query)")
            #expect(answer.status == 400, "\(query): \(answer.status) \(answer.bodyText)")
            #expect(answer.bodyText.hasPrefix("400 Bad Request: "), "\(query)")
        }
        #expect(database.appResponse("/runs/1/series?chart=val_loss").status == 404)
        #expect(database.appResponse("/runs/9/series?chart=loss").status == 404)
        #expect(database.appResponse("/runs/1/series?chart=accuracy&from=2&to=2").status == 200)
    }

    @Test("The run page with ?from&to draws its charts over those epochs only, its loss chart the series route's columns")
    func thePageZoomsWithoutJavaScript() throws {
        let database = try ServedDatabase()
        try database.addRun(steps: 40, perEpoch: 2)
        let page = database.appResponse("/runs/1?from=4&to=12")
        #expect(page.status == 200)
        let loss = try #require(Self.chartBox("loss", in: page.bodyText))
        #expect(loss["data-x"] == "[4.0,12.0]" && loss["data-from"] == "4" && loss["data-to"] == "12", "\(loss)")
        let series = Self.columns(Self.columnsText(database.appResponse("/runs/1/series?chart=loss&from=4&to=12").bodyText))
        let drawn = Self.columns(loss["data-columns"] ?? "")
        #expect(drawn == series && drawn.count == LineChart.plotWidth && drawn.compactMap { $0 }.count == 9)
        // The form keeps the range; the gradient check is drawn over the steps of those epochs.
        #expect(page.bodyText.contains("name=\"from\" type=\"number\" min=\"0\" value=\"4\""))
        #expect(page.bodyText.contains("<a id=\"zoom-all\" href=\"/runs/1\">all epochs</a>"))
        #expect(page.bodyText.contains("Gradient check per step") && page.bodyText.contains("Parameters per epoch"))
        // The whole run: the form's empty fields leave the range to the run.
        let whole = database.appResponse("/runs/1?from=&to=")
        #expect(whole.status == 200 && Self.chartBox("loss", in: whole.bodyText)?["data-x"] == "[1.0,20.0]")
        // A range past the run's end: the page, with no charts but a note.
        let past = database.appResponse("/runs/1?from=500&to=600")
        #expect(past.status == 200 && past.bodyText.contains("the run logged no such values in these epochs"), "\(past.status)")
        for query in ["from=x", "from=5&to=3", "to=-2", "from=1&from=1", "to=1000000000001", "page=0&from=1"] {
            #expect(database.appResponse("/runs/1?\(query)").status == 400, "\(query)")
        }
    }

    @Test("A running run's per-epoch charts reach past its latest epoch, so the script widens them by whole columns, and its summary leaves out the unwritten final values")
    func aRunningRunsChartsAndSummary() throws {
        let database = try ServedDatabase()
        let run = try database.addRun(steps: 9, perEpoch: 3, finish: false)
        let page = database.appResponse("/runs/1").bodyText
        let loss = try #require(Self.chartBox("loss", in: page))
        // Epochs 1 and 2 have rows and the third is open: no planned end, so twice the latest (3) epochs.
        #expect(loss["data-x"] == "[1.0,6.0]" && loss["data-from"] == nil, "\(loss)")
        #expect(loss["data-null-is-nan"] == "1")
        #expect(page.contains("id=\"params-note\"") && !page.contains("<td>w</td>"), "the parameters are left out while it runs")
        try run.finish(status: .finished)
        let finished = database.appResponse("/runs/1").bodyText
        #expect(!finished.contains("id=\"params-note\"") && finished.contains("<td>w</td>"))
        #expect(Self.chartBox("loss", in: finished)?["data-x"] == "[1.0,3.0]")
    }

    @Test("An earlier page of a running run's table asks the stream for the epochs after the run's last row, so its charts get the open epoch when it closes")
    func anEarlierPageStreamsFromTheLastRow() throws {
        let database = try ServedDatabase()
        // Each step its own epoch: epochs 1 to 249 have rows, the 250th is open.
        let run = try database.addRun(steps: 250, perEpoch: 1, finish: false)
        let first = database.appResponse("/runs/1?page=1").bodyText
        #expect(first.contains("data-epoch=\"249\"") && first.contains("data-live=\"0\""), "\(first.prefix(600))")
        #expect(database.appResponse("/runs/1?page=3").bodyText.contains("data-epoch=\"249\" data-status=\"running\" data-live=\"1\""))
        try run.finish(status: .finished)
    }

    @Test("A network's page shows a row per layer with the latest epoch's checks, as report --layers gives them; the single neuron's none")
    func aNetworksLayers() throws {
        let database = try ServedDatabase()
        let store = try Store(path: database.path)
        var config = TrainingConfig()
        (config.epochs, config.hidden, config.learningRate) = (30, [4], 1)
        let id = try RunExecutor.execute(RunRequest(dataset: .xor, config: config), in: store).runID
        let page = database.appResponse("/runs/\(id)").bodyText
        #expect(page.contains("<h2>Layers</h2>"))
        // The layers report's rows of the last epoch, computed by its own SQL.
        var expected: [[SQLiteValue]] = []
        try RunCatalog(store: store).streamReport(.layers, of: id, columns: { _ in }, row: { row in
            if row[0] == .integer(30) { expected.append(row) }
        })
        #expect(expected.count == 2)
        for row in expected {
            let cells = row.map(HTMLTable.cell)
            // layer, units, parameters, epoch, then the report's checks, errors and failures.
            let sizes: [SQLiteValue] = row[1] == .integer(1) ? [.integer(4), .integer(12)] : [.integer(1), .integer(5)]
            let line = "<tr>" + cells[1] + sizes.map(HTMLTable.cell).joined() + cells[0] + cells[2...].joined() + "</tr>"
            #expect(page.contains(line), "\(line)")
        }
        try database.addRun()
        #expect(!database.appResponse("/runs/\(id + 1)").bodyText.contains("<h2>Layers</h2>"))
    }

    @Test("The event stream sends the loss and the epoch rows as the page prints them (-1.0, not JavaScript's -1)")
    func theStreamSendsTheServersText() throws {
        let database = try ServedDatabase()
        let store = try Store(path: database.path)
        let run = try ExternalRun(store: store, setup: ExternalRunSetup(name: "", tags: [], configJSON: "{}", parameterNames: ["w"]),
                                  commitInterval: 0)
        for step in 1...3 { try run.log(ExternalStep(step: step, epoch: step, loss: -1, values: [1], analytic: nil, numeric: nil)) }
        let shared = SharedStore(try Store(path: database.path, access: .readOnly))
        var events = EventStream(store: shared, runID: 1, after: (step: 0, epoch: 0)).makeAsyncIterator()
        let text = try events.pollText()
        #expect(text.contains("\"loss\":-1.0,\"lossText\":\"-1.0\""), "\(text)")
        #expect(text.contains("\"texts\":[[\"1\",\"1\",\"-1.0\",\"1.0\""), "\(text)")
        try run.finish(status: .finished)
    }

    @Test("A run whose checks failed shows gradlog check's diagnosis on its page; a run whose checks passed shows none")
    func theDiagnosisOfFailedChecks() throws {
        let database = try ServedDatabase()
        let store = try Store(path: database.path)
        var config = TrainingConfig()
        (config.epochs, config.hidden, config.fault) = (10, [3], FaultyUnit(layer: 1, unit: 2))
        let id = try RunExecutor.execute(RunRequest(dataset: .xor, config: config), in: store).runID
        let page = database.appResponse("/runs/\(id)").bodyText
        #expect(page.contains("<h2 id=\"gradient-check\">Gradient check</h2>\n<p>20 checks failed"))
        #expect(page.contains("<h3>wrong-backward-pass in layer 1, unit 2</h3>\n<p>Steps 1 to 10, 20 checks (l1.n2.w1, l1.n2.w2)"))
        #expect(page.contains("<td>numeric_vs_autodiff</td>"))
        try database.addRun()
        #expect(!database.appResponse("/runs/\(id + 1)").bodyText.contains("id=\"gradient-check\""))
    }

    // It said "500 Internal Server Error: reportTooWide(runID: 1, parameters: 2000, limit: 1995)".
    @Test func aPageTheServerCannotDrawSaysWhyInWords() throws {
        let database = try ServedDatabase()
        let names = (1...2_000).map { "p\($0)" }
        let run = try ExternalRun(store: try Store(path: database.path),
                                  setup: ExternalRunSetup(name: "", tags: [], configJSON: "{}", parameterNames: names), commitInterval: 0)
        try run.log(ExternalStep(step: 1, loss: 1, values: names.map { _ in 1 }, analytic: nil, numeric: nil))
        try run.finish(status: .finished)
        let page = database.appResponse("/runs/1")
        #expect(page.status == 500)
        #expect(page.bodyText.hasPrefix("500 Internal Server Error: run 1 has 2000 parameters, but this report can show at most "))
    }

    /// The attributes of the box of chart `name` on a page.
    static func chartBox(_ name: String, in page: String) -> [String: String]? {
        guard let start = page.range(of: "<div class=\"live-chart\" data-chart=\"\(name)\"") else { return nil }
        let tag = page[start.lowerBound...].prefix { $0 != ">" }
        var attributes: [String: String] = [:]
        for match in tag.matches(of: /(data-[a-z-]+)="([^"]*)"/) { attributes[String(match.output.1)] = String(match.output.2) }
        return attributes
    }
}

extension ServedDatabase {
    /// The app's answer to a GET of `target` on a fresh read-only connection.
    func appResponse(_ target: String) -> WebResponse {
        guard let app = try? app() else { return WebResponse.text("no app", status: 599) }
        return app.get(target)
    }
}
