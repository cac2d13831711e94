import Charts
import HTMLPages
import Output
import SQLiteDB
import Tracker
import Wording

/// The run page: progress (live), summary, configuration and provenance, the charts of
/// `report --html` (live, and over a range of epochs with `?from=A&to=B`), a network's layers, the
/// per-epoch table a page at a time, and links to the report's exports.
struct RunPage {
    /// Epochs on one page of the table.
    static let pageSize = 100

    let runID: Int64
    /// The page of the epoch table, from 1, and the epochs the charts show.
    let query: RunQuery
    /// Who reads the charts' data (`RunCharts.readers`).
    var readers = TwoReaders(shared: nil)

    /// The page, or nil when the run does not exist or the table has no such page.
    func render(_ catalog: RunCatalog) throws(TrackerError) -> String? {
        guard let progress = try catalog.progress(of: runID) else { return nil }
        let pages = max(1, Int((progress.epochs + Int64(Self.pageSize) - 1) / Int64(Self.pageSize)))
        let page = query.page
        guard page <= pages else { return nil }
        let summary = try catalog.summary(of: runID)
        let name = summary.columns.firstIndex(of: "name").flatMap { summary.rows.first?[$0].stringValue } ?? ""
        let latest = try catalog.latestStep(of: runID)
        let details = try catalog.details(of: runID)
        let (table, lastEpoch) = try epochTable(catalog, page: page, pages: pages)
        // The live stream sends the epoch rows after this one: on the last page the table's last row
        // (an epoch still open has no row yet, and must come later), elsewhere the run's last row,
        // so the charts get every epoch that closes after the page was drawn.
        let after = page == pages ? lastEpoch ?? Int64((page - 1) * Self.pageSize) : try catalog.lastClosedEpoch(of: runID)
        var body = "<main id=\"run\" data-run=\"\(runID)\" data-step=\"\(latest?.step ?? 0)\" data-epoch=\"\(after)\""
            + " data-status=\"\(LineChart.escaped(progress.status))\" data-live=\"\(page == pages ? 1 : 0)\">\n"
        body += "<p id=\"live\">Status <strong id=\"live-status\">\(LineChart.escaped(progress.status))</strong>, "
            + "step <span id=\"live-step\">\(latest?.step ?? 0)</span>, epoch <span id=\"live-epoch\">\(progress.epochs)</span>, "
            + "latest loss <span id=\"live-loss\">\(latest.map { LineChart.escaped(CellText.plain(.real($0.loss))) } ?? "")</span>"
            + " <span id=\"live-note\"></span></p>\n"
        body += "<p>The per-epoch report as <a href=\"/runs/\(runID)/epochs.csv\">CSV</a>, "
            + "<a href=\"/runs/\(runID)/epochs.json\">JSON</a> or <a href=\"/runs/\(runID)/epochs.md\">Markdown</a>"
            + " (as <code>gradlog report \(runID) --csv</code> prints it).</p>\n"
        let running = progress.status == RunStatus.running.rawValue
        body += "<h2>Summary</h2>\n<div class=\"summaries\">\n<div>\n" + (try summaryTable(summary, running: running, catalog))
            + "</div>\n<div>\n<details><summary>Configuration and provenance</summary>\n"
            + HTMLTable.render(details.columns, details.rows) + "</details>\n</div>\n</div>\n"
        body += try DiagnosisSection.html(of: runID, in: catalog.store)
        var charts = RunCharts(runID: runID, window: query.window, running: running)
        charts.readers = readers
        body += try charts.render(catalog)
        body += try layers(catalog)
        body += "<h2>Epochs</h2>\n" + table + "</main>\n"
        let title = "gradlog: run \(runID)" + (name.isEmpty ? "" : " (\(name))")
        return PageFrame.page(title: title, body: body, script: true)
    }

    /// One page of the per-epoch report, with links to the others (the last page grows live), and the
    /// epoch of its last row.
    private func epochTable(_ catalog: RunCatalog, page: Int, pages: Int) throws(TrackerError) -> (html: String, lastEpoch: Int64?) {
        var columns: [String] = []
        var rows: [[SQLiteValue]] = []
        do {
            try catalog.streamEpochReport(of: runID, offset: (page - 1) * Self.pageSize, limit: Self.pageSize,
                                          columns: { columns = $0 }, row: { rows.append($0) })
        } catch {
            throw catalog.store.wrap(error)
        }
        let lastEpoch = rows.last?.first?.int64Value
        var html = "<div id=\"epochs\">\n" + HTMLTable.render(columns, rows) + "</div>\n"
        guard pages > 1 else { return (html, lastEpoch) }
        html += "<p class=\"pager\">"
        html += page > 1 ? "<a rel=\"prev\" href=\"/runs/\(runID)?page=\(page - 1)\(rangeQuery)\">previous</a>" : "<span>previous</span>"
        html += "<span>epochs \((page - 1) * Self.pageSize + 1) to \((page - 1) * Self.pageSize + rows.count), page \(page) of \(pages)</span>"
        html += page < pages ? "<a rel=\"next\" href=\"/runs/\(runID)?page=\(page + 1)\(rangeQuery)\">next</a>" : "<span>next</span>"
        html += page < pages ? "<a href=\"/runs/\(runID)?page=\(pages)\(rangeQuery)\">last</a>" : ""
        return (html + "</p>\n", lastEpoch)
    }

    /// The range of the charts in a pager's link (`&amp;from=A&amp;to=B`), so paging keeps the zoom.
    private var rangeQuery: String {
        query.window.map { "&amp;from=\($0.lowerBound)&amp;to=\($0.upperBound)" } ?? ""
    }

    /// The summary's table; while the run is written its parameters have no final values yet, so
    /// they are left out and a note says where their values so far are drawn.
    private func summaryTable(_ summary: Table, running: Bool, _ catalog: RunCatalog) throws(TrackerError) -> String {
        guard running else { return HTMLReport.summaryTable(summary) }
        let parameters = Set(try catalog.parameterNames(of: runID))
        let kept = summary.columns.indices.filter { !parameters.contains(summary.columns[$0]) }
        let table = Table(columns: kept.map { summary.columns[$0] }, rows: summary.rows.map { row in kept.map { row[$0] } })
        let note = parameters.isEmpty ? "" : "<p class=\"note\" id=\"params-note\">The \(parameters.count) parameters' final "
            + "values are written when the run ends; the parameters chart shows their values so far.</p>\n"
        return HTMLReport.summaryTable(table) + note
    }

    /// A network's layers: per layer its units and parameters and the latest epoch's gradient
    /// checks; nothing for the single neuron. The parameters chart draws each layer's band.
    private func layers(_ catalog: RunCatalog) throws(TrackerError) -> String {
        let table = try catalog.layerSummary(of: runID)
        guard !table.rows.isEmpty else { return "" }
        return "<h2>Layers</h2>\n<div id=\"layers\">\n" + HTMLTable.render(table.columns, table.rows) + "</div>\n"
            + "<p class=\"note\">The gradient checks of the latest epoch; of every epoch: "
            + "<code>\(LineChart.escaped(Hint.command("report \(runID) --layers")))</code>. The parameters chart draws "
            + "each layer's median in the band of its lowest and highest value.</p>\n"
    }
}
