import Charts
import HTMLPages
import Output
import SQLiteDB
import Tracker

/// The compare page of the runs with a tag (a sweep's `sweep=ID`): charts, then one table of every trial (the
/// settings that vary, the final figures, a link to each run), sorted by any of its columns, then
/// charts. Up to `ChartBuilder.maxSeries` trials are overlaid one line each; more are drawn as
/// groups by one varying setting (the mean in a ±1 sd band, as `plot --group-by` draws them), or
/// as the best trials by final loss overlaid; the page says which and links to the others.
struct SweepPage {
    /// The final figures of a trial, in the table's order (as `report --html`'s comparison).
    static let figures = ["status", "epochs", "final_loss", "accuracy", "worst_rel_error", "gradient_check"]
    /// The charts of a sweep too large to overlay: what most sweeps are judged by.
    static let groupedCharts: [ChartKind] = [.loss, .accuracy]

    let ids: [Int64]
    let query: ComparePage.Query

    /// The page, or why the query cannot be answered (a sort or group the sweep does not have).
    func render(_ catalog: RunCatalog, title: String) throws(TrackerError) -> ComparePage.Outcome {
        let settings = try SettingValues(ids, in: catalog.store)
        let table = try trials(catalog, settings: settings)
        var rows = table.rows
        if let sort = query.sort {
            guard let column = table.columns.firstIndex(of: sort) else {
                return .invalid("sort must be one of " + table.columns.joined(separator: ", "))
            }
            rows = SQLiteOrder.sorted(rows, by: column, descending: query.descending)
        }
        let charts: String
        switch try self.charts(catalog, settings: settings, table: table) {
        case .success(let html): charts = html
        case .failure(let invalid): return .invalid(invalid.reason)
        }
        var body = "<p>\(ids.count) runs with the tag\(query.tags.count == 1 ? "" : "s") "
            + query.tags.map { "<code>\(LineChart.escaped($0))</code>" }.joined(separator: ", ")
            + "; <a href=\"#trials\">the table of trials</a> follows the charts.</p>\n"
        // The charts first: a sweep of many trials has a long table.
        body += charts + "<h2 id=\"trials\">Trials</h2>\n" + trialTable(table.columns, rows)
        return .page(PageFrame.page(title: title, body: body, script: false))
    }

    /// One row per trial: its id, the settings that differ between the trials, its final figures.
    private func trials(_ catalog: RunCatalog, settings: SettingValues) throws(TrackerError) -> Table {
        let varying = try varyingSettings(catalog, settings: settings)
        var rows: [[SQLiteValue]] = []
        for (index, id) in ids.enumerated() {
            let summary = try catalog.summary(of: id)
            rows.append([.integer(id)] + varying.map { $0.values[index] } + Self.figures.map { figure in
                summary.columns.firstIndex(of: figure).map { summary.rows[0][$0] } ?? .null
            })
        }
        // The setting `epochs` is what was asked for, the figure what was done: both may show.
        let figures = Self.figures.map { name in varying.contains { $0.name == name } ? "\(name) (final)" : name }
        return Table(columns: ["run"] + varying.map(\.name) + figures, rows: rows)
    }

    /// The settings that differ, as `compare` shows them, but for runs logged from outside the
    /// keys of their configs that differ (`lr`, `seed`) rather than the whole config text.
    private func varyingSettings(_ catalog: RunCatalog, settings: SettingValues) throws(TrackerError) -> [(name: String, values: [SQLiteValue])] {
        let compared = try RunComparer(store: catalog.store).differingSettings(ids)
        let keys = settings.differing.filter { key in !compared.contains { $0.name == key } }
        guard !keys.isEmpty else { return compared }
        return compared.filter { $0.name != "config" }
            + keys.map { key in (name: key, values: ids.indices.map { settings.value(key, at: $0) ?? .null }) }
    }

    /// The table, each heading a link that sorts by it (again: the other way), each run's id a link to its page.
    private func trialTable(_ columns: [String], _ rows: [[SQLiteValue]]) -> String {
        var html = "<div class=\"scroll\">\n<table id=\"trials\">\n<tr>"
        for column in columns {
            let current = query.sort == column
            let mark = current ? (query.descending ? " ▼" : " ▲") : ""
            html += "<th><a href=\"\(LineChart.escaped(link(sort: column, descending: current && !query.descending)))\">"
                + LineChart.escaped(column) + mark + "</a></th>"
        }
        html += "</tr>\n"
        for row in rows {
            let id = row[0].int64Value ?? 0
            html += "<tr><td class=\"n\"><a href=\"/runs/\(id)\">\(id)</a></td>" + row.dropFirst().map { CompactCell.html($0) }.joined() + "</tr>\n"
        }
        return html + "</table>\n</div>\n"
    }

    /// This page's address with another sort or grouping.
    func link(sort: String? = nil, descending: Bool? = nil, group: String?? = nil) -> String {
        var pairs: [(String, String)] = query.runIDs.map { ("run", String($0)) } + query.tags.map { ("tag", $0) }
        if let sort = sort ?? query.sort { pairs.append(("sort", sort)) }
        if descending ?? query.descending { pairs.append(("order", "desc")) }
        if let group = group ?? query.group { pairs.append(("group", group)) }
        return "/compare" + RunsPage.Query.joined(pairs)
    }
}
