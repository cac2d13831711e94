import Charts
import HTMLPages
import Output
import SQLiteDB
import Tracker

/// The runs page: every run with its status, progress, key settings, figures and tags, filtered,
/// sorted and paged by the query (`?status=running&tag=sweep%3Dgrid&text=lr&sort=latest_loss&order=asc&page=2`).
///
/// Its script (`/runs.js`, `RunsScript`) follows the page live through `/events` (`RunsEventStream`);
/// without it the page is complete as drawn.
struct RunsPage {
    /// Runs on one page.
    static let pageSize = 100
    /// The columns one can sort by, as the query names them (RunFilter's keys).
    static let sortKeys = RunFilter.SortKey.allCases.map(\.rawValue)
    /// The columns shown only when a run on the page has a value in them (a network's).
    static let networkColumns: Set<String> = ["hidden", "activation"]
    /// The characters of a tag shown in its cell (the style cuts it shorter still); the whole tag is in its title.
    static let tagShown = 40

    /// The runs table's own rules: tags wrap in their cell and a long one is cut with an ellipsis;
    /// a run's row shows its status at a glance.
    static let style = """
        <style>
        #runs td.tags { white-space: normal; }
        #runs .tagbox { width: 38em; }
        #runs .tag { max-width: 10.5em; overflow: hidden; text-overflow: ellipsis; vertical-align: top; }
        #runs tr[data-status="running"] td[data-col="status"] { color: #1a7f37; font-weight: 600; }
        #runs tr[data-status="failed"] td[data-col="status"], #runs tr[data-status="crashed"] td[data-col="status"],
        #runs tr[data-status="diverged"] td[data-col="status"] { color: #c62828; }
        #runs-new { font-weight: 600; } #runs-live { color: var(--muted); font-size: 12px; }
        </style>

        """

    let query: Query

    /// The page, or nil when the query asks for a page past the last.
    func render(_ catalog: RunCatalog, databasePath: String) throws(TrackerError) -> String? {
        let matching = try catalog.count(matching: query.matching)
        let pages = max(1, (matching + Self.pageSize - 1) / Self.pageSize)
        guard query.page <= pages else { return nil }
        let table = try catalog.overview(query.filter)
        let ids = table.rows.compactMap { $0.first?.int64Value }
        let tags = try catalog.tags(of: ids)
        let columns = Self.shownColumns(table)
        var body = Self.style + "<p><span id=\"runs-count\" data-count=\"\(matching)\">\(matching) run\(matching == 1 ? "" : "s")</span> in <code>\(LineChart.escaped(databasePath))</code>"
            + (query.page > 1 || pages > 1 ? ", page \(query.page) of \(pages)" : "") + ". <span id=\"runs-live\"></span></p>\n"
        body += filterForm()
        body += "<p id=\"runs-new\" hidden><a href=\"\(LineChart.escaped(query.link()))\"></a></p>\n"
        // The table sits in a form of its own (forms do not nest): its ticked runs go to the compare page.
        body += "<form id=\"compare\" method=\"get\" action=\"/compare\">\n<div class=\"scroll\">\n"
        body += "<table id=\"runs\" data-events=\"\(LineChart.escaped(try eventsLink(table, catalog)))\" data-insert=\""
            + (query.insertsNewRuns(pages: pages) ? (query.descending ? "top" : "bottom") : "none") + "\" data-page-size=\"\(Self.pageSize)\">\n<tr>"
        for column in columns.map({ table.columns[$0] }) + ["tags"] {
            body += "<th data-col=\"\(column)\">" + header(column) + "</th>"
        }
        body += "</tr>\n"
        for row in table.rows {
            body += Self.row(row, table.columns, shown: columns, tags: tags[table.value("id", in: row)?.int64Value ?? 0] ?? [])
        }
        body += "</table>\n</div>\n<button>Compare the runs ticked</button>\n</form>\n" + pager(pages)
        // The page's own script, where the frame puts a script: every text above is escaped, so the
        // frame's closing tag is the only one.
        return PageFrame.page(title: "gradlog: runs", body: body, script: false)
            .replacing("</body>", with: "<script src=\"/runs.js\" defer></script>\n</body>")
    }

    /// The indexes of the columns shown: all but a network's settings when no run on the page has hidden layers.
    static func shownColumns(_ table: Table) -> [Int] {
        let hidden = table.columns.firstIndex(of: "hidden")
        let networks = hidden.map { index in table.rows.contains { $0[index].stringValue?.isEmpty == false } } ?? false
        return table.columns.indices.filter { networks || !networkColumns.contains(table.columns[$0]) }
    }

    /// One run's row: its cells (each named by `data-col`, which the live script updates) and tags.
    static func row(_ row: [SQLiteValue], _ columns: [String], shown: [Int], tags: [(key: String, value: String)]) -> String {
        let id = Table.value("id", in: row, columns: columns)?.int64Value ?? 0
        let status = Table.value("status", in: row, columns: columns)?.stringValue ?? ""
        var html = "<tr data-run=\"\(id)\" data-status=\"\(LineChart.escaped(status))\">"
        for index in shown {
            let column = columns[index], value = row[index]
            let text = LineChart.escaped(value == .null ? "" : CellText.plain(value))
            if column == "id" {
                // The id's cell, the one that stays in view, holds the box that ticks the run to compare.
                html += "<td class=\"n\" data-col=\"id\"><input type=\"checkbox\" name=\"run\" value=\"\(id)\" aria-label=\"compare run \(id)\"> "
                    + "<a href=\"/runs/\(id)\">\(text)</a></td>"
            } else if column == "name" {
                html += "<td data-col=\"name\"><a href=\"/runs/\(id)\">\(text)</a></td>"
            } else {
                html += CompactCell.html(value, column: column)
            }
        }
        return html + "<td class=\"tags\"><div class=\"tagbox\">" + tags.map(Self.tagLink).joined() + "</div></td></tr>\n"
    }

    /// A tag, a link to the compare page of the runs that have it, cut short when long (whole in its title).
    static func tagLink(_ tag: (key: String, value: String)) -> String {
        let text = "\(tag.key)=\(tag.value)"
        let shown = text.count > tagShown ? String(text.prefix(tagShown - 1)) + "…" : text
        return "<a class=\"tag\" href=\"/compare?tag=\(LineChart.escaped(QueryString.encode(text)))\" title=\"\(LineChart.escaped(text))\">"
            + LineChart.escaped(shown) + "</a>"
    }

    /// The address of the page's event stream: its filter, the last run id in the file, and the
    /// running runs on the page, whose rows it follows.
    private func eventsLink(_ table: Table, _ catalog: RunCatalog) throws(TrackerError) -> String {
        let running = table.rows.filter { table.value("status", in: $0) == .text(RunStatus.running.rawValue) }
            .compactMap { table.value("id", in: $0)?.int64Value }
        let pairs = query.filterPairs + [("after", String(try catalog.lastRunID()))] + running.map { ("run", String($0)) }
        return "/events" + Query.joined(pairs)
    }

    /// A column's heading, a link that sorts by it (again: the other way).
    private func header(_ column: String) -> String {
        guard let key = RunFilter.SortKey(rawValue: column == "steps" ? "step_count" : column) else { return LineChart.escaped(column) }
        let descending = key == query.sort ? !query.descending : false
        let mark = key == query.sort ? (query.descending ? " ▼" : " ▲") : ""
        return "<a href=\"\(LineChart.escaped(query.link(sort: key, descending: descending, page: 1)))\">\(LineChart.escaped(column))\(mark)</a>"
    }

    /// The filter form; it works without JavaScript (a GET to this page).
    private func filterForm() -> String {
        var html = "<form class=\"filter\" method=\"get\" action=\"/\">\n<label>status<select name=\"status\"><option value=\"\">any</option>"
        for status in RunStatus.allCases.map(\.rawValue) {
            html += "<option\(status == query.status ? " selected" : "")>\(status)</option>"
        }
        html += "</select></label>\n"
        html += "<label>text (name, note, dataset, tags)<input name=\"text\" value=\"\(LineChart.escaped(query.text ?? ""))\"></label>\n"
        html += "<label>name contains<input name=\"name\" value=\"\(LineChart.escaped(query.name ?? ""))\"></label>\n"
        html += "<label>tag (key=value)<input name=\"tag\" value=\"\(LineChart.escaped(query.tags.first ?? ""))\"></label>\n"
        html += "<label>sort<select name=\"sort\">"
        for key in Self.sortKeys {
            html += "<option\(key == query.sort.rawValue ? " selected" : "")>\(key)</option>"
        }
        html += "</select></label>\n<label>order<select name=\"order\"><option\(query.descending ? "" : " selected")>asc</option>"
            + "<option\(query.descending ? " selected" : "")>desc</option></select></label>\n"
        return html + "<button>Show</button>\n</form>\n"
    }

    /// Links to the previous and next pages.
    private func pager(_ pages: Int) -> String {
        guard pages > 1 else { return "" }
        var html = "<p class=\"pager\">"
        html += query.page > 1 ? "<a rel=\"prev\" href=\"\(LineChart.escaped(query.link(page: query.page - 1)))\">previous</a>" : "<span>previous</span>"
        html += "<span>page \(query.page) of \(pages)</span>"
        html += query.page < pages ? "<a rel=\"next\" href=\"\(LineChart.escaped(query.link(page: query.page + 1)))\">next</a>" : "<span>next</span>"
        return html + "</p>\n"
    }
}
