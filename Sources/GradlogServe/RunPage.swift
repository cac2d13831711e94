import Charts
import HTMLPages
import Output
import SQLiteDB
import Tracker

/// The run page: progress (live), summary, configuration and provenance, the charts of
/// `report --html`, the per-epoch table a page at a time, and links to the report's exports.
struct RunPage {
    /// Epochs on one page of the table.
    static let pageSize = 100

    let runID: Int64
    /// The page of the epoch table, from 1.
    let page: Int

    /// The page's query: `page` and the token only.
    static func page(from pairs: [(name: String, value: String)]) throws(QueryString.Invalid) -> Int {
        var page: Int?
        for (key, value) in pairs {
            switch key {
            case "page":
                guard page == nil, let number = QueryString.number(value, max: 100_000_000), number >= 1 else {
                    throw .init(reason: "page must be given once, a whole number from 1")
                }
                page = Int(number)
            case "token": break
            default: throw .init(reason: "unknown parameter '\(key)'")
            }
        }
        return page ?? 1
    }

    /// The page, or nil when the run does not exist or the table has no such page.
    func render(_ catalog: RunCatalog) throws(TrackerError) -> String? {
        guard let progress = try catalog.progress(of: runID) else { return nil }
        let pages = max(1, Int((progress.epochs + Int64(Self.pageSize) - 1) / Int64(Self.pageSize)))
        guard page <= pages else { return nil }
        let summary = try catalog.summary(of: runID)
        let name = summary.columns.firstIndex(of: "name").flatMap { summary.rows.first?[$0].stringValue } ?? ""
        let latest = try catalog.latestStep(of: runID)
        let details = try catalog.details(of: runID)
        let (table, lastEpoch) = try epochTable(catalog, pages: pages)
        // The live stream sends the epoch rows after this one: on the last page the table's last row
        // (an epoch still open has no row yet, and must come later), elsewhere the run's latest epoch.
        let after = page == pages ? lastEpoch ?? Int64((page - 1) * Self.pageSize) : progress.epochs
        var body = "<main id=\"run\" data-run=\"\(runID)\" data-step=\"\(latest?.step ?? 0)\" data-epoch=\"\(after)\""
            + " data-status=\"\(LineChart.escaped(progress.status))\" data-live=\"\(page == pages ? 1 : 0)\">\n"
        body += "<p id=\"live\">Status <strong id=\"live-status\">\(LineChart.escaped(progress.status))</strong>, "
            + "step <span id=\"live-step\">\(latest?.step ?? 0)</span>, epoch <span id=\"live-epoch\">\(progress.epochs)</span>, "
            + "latest loss <span id=\"live-loss\">\(latest.map { LineChart.escaped(CellText.plain(.real($0.loss))) } ?? "")</span>"
            + " <span id=\"live-note\"></span></p>\n"
        body += "<p>The per-epoch report as <a href=\"/runs/\(runID)/epochs.csv\">CSV</a>, "
            + "<a href=\"/runs/\(runID)/epochs.json\">JSON</a> or <a href=\"/runs/\(runID)/epochs.md\">Markdown</a>"
            + " (as <code>gradlog report \(runID) --csv</code> prints it).</p>\n"
        body += "<h2>Summary</h2>\n<div class=\"summaries\">\n<div>\n" + HTMLReport.summaryTable(summary)
            + "</div>\n<div>\n<details><summary>Configuration and provenance</summary>\n"
            + HTMLTable.render(details.columns, details.rows) + "</details>\n</div>\n</div>\n"
        body += try HTMLReport(store: catalog.store, ids: [runID]).charts(catalog)
        body += "<h2>Epochs</h2>\n" + table + "</main>\n"
        let title = "gradlog: run \(runID)" + (name.isEmpty ? "" : " (\(name))")
        return PageFrame.page(title: title, body: body, script: true)
    }

    /// One page of the per-epoch report, with links to the others (the last page grows live), and the
    /// epoch of its last row.
    private func epochTable(_ catalog: RunCatalog, pages: Int) throws(TrackerError) -> (html: String, lastEpoch: Int64?) {
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
        html += page > 1 ? "<a rel=\"prev\" href=\"/runs/\(runID)?page=\(page - 1)\">previous</a>" : "<span>previous</span>"
        html += "<span>epochs \((page - 1) * Self.pageSize + 1) to \((page - 1) * Self.pageSize + rows.count), page \(page) of \(pages)</span>"
        html += page < pages ? "<a rel=\"next\" href=\"/runs/\(runID)?page=\(page + 1)\">next</a>" : "<span>next</span>"
        html += page < pages ? "<a href=\"/runs/\(runID)?page=\(pages)\">last</a>" : ""
        return (html + "</p>\n", lastEpoch)
    }
}
