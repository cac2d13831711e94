import Charts
import SQLiteDB
import Tracker
import Wording
import Output

/// A self-contained HTML page about one or more runs, with no script, no stylesheet and no image
/// from anywhere else. One run: its summary and configuration, its charts (loss, accuracy,
/// parameters, gradient check, metrics) as inline SVG in a grid, and its per-epoch table. Several
/// runs: first one comparison table (the settings that differ and the final figures, a row per
/// run), then the overlaid charts, then each run's summary and per-epoch table.
public struct HTMLReport {
    public let store: Store
    public let ids: [Int64]
    /// Per-epoch rows shown at each end of a longer table; the rest are counted, not shown.
    public static let tableEnds = 10
    /// The most metrics the page draws a chart of, in the order of their names (the web app's run page too).
    public static let maxMetricCharts = 12

    /// A page about the runs `ids` of `store`.
    public init(store: Store, ids: [Int64]) {
        self.store = store
        self.ids = ids
    }

    /// The whole page.
    public func page() throws(TrackerError) -> String {
        let catalog = RunCatalog(store: store)
        let title = ids.count == 1 ? "gradlog: run \(ids[0])" : "gradlog: runs " + ids.map(String.init).joined(separator: ", ")
        var html = HTMLPageStyle.head(title: title) + "<h1>\(LineChart.escaped(title))</h1>\n"
        let summaries = try ids.map { id throws(TrackerError) in try catalog.summary(of: id) }
        if let id = ids.first, ids.count == 1 {
            let details = try catalog.details(of: id)
            html += "<h2>Summary</h2>\n<div class=\"summaries\">\n<div>\n" + Self.summaryTable(summaries[0])
                + "</div>\n<div>\n<details><summary>Configuration and provenance</summary>\n"
                + HTMLTable.render(details.columns, details.rows) + "</details>\n</div>\n</div>\n"
            html += try DiagnosisSection.html(of: id, in: store)
            html += try charts(catalog)
        } else {
            html += try severalRuns(catalog, summaries: summaries)
        }
        for id in ids {
            html += "<h2>Epochs of run \(id)</h2>\n" + (try epochTable(id, catalog))
        }
        return html + "</body>\n</html>\n"
    }

    /// What a page about several runs shows before their per-epoch tables: the comparison table, the
    /// overlaid charts and each run's summary; with `runLink`, each run's id links to that address.
    public func severalRuns(_ catalog: RunCatalog, runLink: ((Int64) -> String)? = nil) throws(TrackerError) -> String {
        let summaries = try ids.map { id throws(TrackerError) in try catalog.summary(of: id) }
        return try severalRuns(catalog, summaries: summaries, runLink: runLink)
    }

    private func severalRuns(_ catalog: RunCatalog, summaries: [Table], runLink: ((Int64) -> String)? = nil) throws(TrackerError) -> String {
        var html = "<h2>Comparison</h2>\n" + (try comparison(summaries, runLink: runLink)) + (try charts(catalog))
        html += "<h2>Summaries</h2>\n<div class=\"summaries\">\n"
        for (id, summary) in zip(ids, summaries) {
            let heading = runLink.map { "<a href=\"\(LineChart.escaped($0(id)))\">Run \(id)</a>" } ?? "Run \(id)"
            html += "<div>\n<h3>\(heading)</h3>\n" + Self.summaryTable(summary) + "</div>\n"
        }
        return html + "</div>\n"
    }

    /// A run's summary on its side: a (field, value) row per figure.
    public static func summaryTable(_ summary: Table) -> String {
        HTMLTable.render(["field", "value"], summary.transposed().rows)
    }

    /// The charts in a grid (several runs overlaid), and a note on what was not drawn.
    public func charts(_ catalog: RunCatalog) throws(TrackerError) -> String {
        var html = "<h2>Charts</h2>\n<div class=\"charts\">\n"
        var nothingLogged: [String] = []
        // Each chart's title and description ids are the page's: numbered, so that no two are the same.
        var drawn = 0
        func svg(_ chart: LineChart) -> String {
            drawn += 1
            return chart.svg(idPrefix: "chart\(drawn)-")
        }
        for kind in ChartKind.builtIn {
            let builder = ChartBuilder(store: store, kind: kind, perStep: kind == .gradcheck, logY: kind == .gradcheck)
            let chart = try builder.chart(of: ids)
            // A run logged from outside may have no loss, no samples or no parameters: no empty frames.
            guard chart.series.contains(where: { !$0.envelope.isEmpty }) else {
                nothingLogged.append(kind.name)
                continue
            }
            html += svg(chart)
        }
        let metrics = try metricNames(catalog)
        for name in metrics.prefix(Self.maxMetricCharts) {
            html += svg(try ChartBuilder(store: store, kind: .metric(name), perStep: false, logY: false).chart(of: ids))
        }
        html += "</div>\n"
        if !nothingLogged.isEmpty {
            html += "<p class=\"note\">No chart of " + nothingLogged.joined(separator: ", ")
                + (ids.count == 1 ? ": the run logged no such values.</p>\n" : ": none of the runs logged such values.</p>\n")
        }
        if metrics.count > Self.maxMetricCharts {
            html += "<p class=\"note\">\(metrics.count - Self.maxMetricCharts) more metrics are not drawn here; "
                + "<code>gradlog plot RUN --chart NAME</code> draws any of them.</p>\n"
        }
        return html
    }

    /// The names of the runs' metrics, each once, in alphabetical order.
    private func metricNames(_ catalog: RunCatalog) throws(TrackerError) -> [String] {
        var names = Set<String>()
        for id in ids { names.formUnion(try catalog.metricNames(of: id)) }
        return names.sorted()
    }

    /// The final figures of a summary the comparison shows, in this order.
    static let comparedFigures = ["status", "epochs", "final_loss", "accuracy", "worst_rel_error", "gradient_check"]

    /// One row per run: its id, the settings that differ between the runs, its final figures.
    private func comparison(_ summaries: [Table], runLink: ((Int64) -> String)?) throws(TrackerError) -> String {
        let settings = try RunComparer(store: store).differingSettings(ids)
        let rows = ids.indices.map { index in
            [SQLiteValue.integer(ids[index])] + settings.map { $0.values[index] }
                + Self.comparedFigures.map { figure in
                    summaries[index].columns.firstIndex(of: figure).map { summaries[index].rows[0][$0] } ?? .null
                }
        }
        // The setting `epochs` is what was asked for, the figure what was done: both may show.
        let figures = Self.comparedFigures.map { name in settings.contains { $0.name == name } ? "\(name) (final)" : name }
        let note = settings.isEmpty ? "<p class=\"note\">The runs have the same settings.</p>\n" : ""
        return note + HTMLTable.render(["run"] + settings.map(\.name) + figures, rows, links: runLink.map { ids.map($0) })
    }

    /// The per-epoch report, its first and last rows when it is long, with how to get all of it.
    private func epochTable(_ id: Int64, _ catalog: RunCatalog) throws(TrackerError) -> String {
        var columns: [String] = []
        var head: [[SQLiteValue]] = []
        var tail: [[SQLiteValue]] = []
        var left = 0
        do {
            try catalog.streamEpochReportEnds(
                of: id, count: Self.tableEnds, columns: { columns = $0 },
                row: { row in if left == 0 { head.append(row) } else { tail.append(row) } },
                leftOut: { left = $0 })
        } catch {
            throw store.wrap(error)
        }
        guard left > 0 else { return HTMLTable.render(columns, head) }
        let gap = "\(left) epochs left out here; all of them: <code>\(LineChart.escaped(Hint.command("report \(id) --csv")))</code>"
        return HTMLTable.render(columns, head, gap: gap, after: tail)
    }
}
