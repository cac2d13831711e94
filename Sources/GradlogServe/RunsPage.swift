import Charts
import HTMLPages
import Output
import SQLiteDB
import Tracker

/// The runs page: every run with its status, progress, tags and figures, filtered, sorted and paged
/// by the query (`?status=running&tag=sweep%3Dgrid&name=lr&sort=final_loss&order=asc&page=2`).
struct RunsPage {
    /// Runs on one page.
    static let pageSize = 100
    /// The columns one can sort by, as the query names them (RunFilter's keys).
    static let sortKeys = RunFilter.SortKey.allCases.map(\.rawValue)

    /// The filter, the order and the page the query asks for, each checked against a fixed list.
    struct Query: Equatable {
        var status: String?
        var tags: [String] = []
        var name: String?
        var sort = RunFilter.SortKey.id
        var descending = false
        var page = 1

        init(_ pairs: [(name: String, value: String)]) throws(QueryString.Invalid) {
            var seen: Set<String> = []
            for (key, value) in pairs {
                guard key == "tag" || seen.insert(key).inserted else { throw .init(reason: "'\(key)' is given twice") }
                switch key {
                case "status":
                    guard value.isEmpty || RunStatus(rawValue: value) != nil else {
                        throw .init(reason: "status must be one of " + RunStatus.allCases.map(\.rawValue).joined(separator: ", "))
                    }
                    status = value.isEmpty ? nil : value
                case "tag":
                    guard value.isEmpty || (value.contains("=") && value.count <= 200) else { throw .init(reason: "tag must be key=value") }
                    guard tags.count < 8 else { throw .init(reason: "at most 8 tags") }
                    if !value.isEmpty { tags.append(value) }
                case "name":
                    guard value.count <= 200 else { throw .init(reason: "name is longer than 200 characters") }
                    name = value.isEmpty ? nil : value
                case "sort":
                    guard let key = RunFilter.SortKey(rawValue: value) else {
                        throw .init(reason: "sort must be one of " + RunsPage.sortKeys.joined(separator: ", "))
                    }
                    sort = key
                case "order":
                    guard value == "asc" || value == "desc" else { throw .init(reason: "order must be asc or desc") }
                    descending = value == "desc"
                case "page":
                    guard let number = QueryString.number(value, max: 1_000_000), number >= 1 else {
                        throw .init(reason: "page must be a whole number from 1")
                    }
                    page = Int(number)
                case "token":
                    break
                default:
                    throw .init(reason: "unknown parameter '\(key)'")
                }
            }
        }

        /// The Tracker filter of this query, for one page.
        var filter: RunFilter {
            var filter = RunFilter()
            filter.status = status
            filter.name = name
            filter.tags = tags.map { tag in
                let equals = tag.firstIndex(of: "=") ?? tag.endIndex
                return (key: String(tag[..<equals]), value: String(tag[tag.index(after: equals)...]))
            }
            filter.sort = sort
            filter.descending = descending
            filter.limit = RunsPage.pageSize
            filter.offset = (page - 1) * RunsPage.pageSize
            return filter
        }

        /// The query string of this filter with another sort, order or page (for links).
        func link(sort: RunFilter.SortKey? = nil, descending: Bool? = nil, page: Int? = nil) -> String {
            var pairs: [(String, String)] = []
            if let status { pairs.append(("status", status)) }
            for tag in tags { pairs.append(("tag", tag)) }
            if let name { pairs.append(("name", name)) }
            let sort = sort ?? self.sort, descending = descending ?? self.descending, page = page ?? self.page
            if sort != .id { pairs.append(("sort", sort.rawValue)) }
            if descending { pairs.append(("order", "desc")) }
            if page != 1 { pairs.append(("page", String(page))) }
            return "/" + (pairs.isEmpty ? "" : "?" + pairs.map { "\($0.0)=\(QueryString.encode($0.1))" }.joined(separator: "&"))
        }
    }

    let query: Query

    /// The page, or nil when the query asks for a page past the last.
    func render(_ catalog: RunCatalog, databasePath: String) throws(TrackerError) -> String? {
        let filter = query.filter
        let matching = try catalog.count(matching: filter)
        let pages = max(1, (matching + Self.pageSize - 1) / Self.pageSize)
        guard query.page <= pages else { return nil }
        let table = try catalog.overview(filter)
        let tags = try catalog.tags(of: table.rows.compactMap { $0.first?.int64Value })
        var body = "<p>\(matching) run\(matching == 1 ? "" : "s") in <code>\(LineChart.escaped(databasePath))</code>"
            + (query.page > 1 || pages > 1 ? ", page \(query.page) of \(pages)" : "") + ".</p>\n"
        body += filterForm()
        // The table sits in a form of its own (forms do not nest): its ticked runs go to the compare page.
        body += "<form id=\"compare\" method=\"get\" action=\"/compare\">\n<div class=\"scroll\">\n<table id=\"runs\">\n<tr>"
        for column in RunCatalog.overviewColumns + ["tags"] {
            body += "<th>" + header(column) + "</th>"
        }
        body += "</tr>\n"
        for row in table.rows {
            let id = row[0].int64Value ?? 0
            body += "<tr data-run=\"\(id)\">"
            for (column, value) in zip(table.columns, row) {
                if column == "id" || column == "name" {
                    // The id's cell, the one that stays in view, holds the box that ticks the run to compare.
                    let box = "<input type=\"checkbox\" name=\"run\" value=\"\(id)\" aria-label=\"compare run \(id)\"> "
                    body += "<td\(column == "id" ? " class=\"n\">" + box : ">")<a href=\"/runs/\(id)\">"
                        + LineChart.escaped(value == .null ? "" : CellText.plain(value)) + "</a></td>"
                } else {
                    body += HTMLTable.cell(value)
                }
            }
            body += "<td>" + (tags[id] ?? []).map(Self.tagLink).joined() + "</td>"
            body += "</tr>\n"
        }
        body += "</table>\n</div>\n<button>Compare the runs ticked</button>\n</form>\n" + pager(pages)
        return PageFrame.page(title: "gradlog: runs", body: body, script: false)
    }

    /// A tag, a link to the compare page of the runs that have it.
    static func tagLink(_ tag: (key: String, value: String)) -> String {
        let text = "\(tag.key)=\(tag.value)"
        return "<a class=\"tag\" href=\"/compare?tag=\(LineChart.escaped(QueryString.encode(text)))\">\(LineChart.escaped(text))</a>"
    }

    /// A column's heading, a link that sorts by it when it is one of the sort keys (again: the other way).
    private func header(_ column: String) -> String {
        let key = RunFilter.SortKey(rawValue: column == "steps" ? "step_count" : column)
        guard let key else { return LineChart.escaped(column) }
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
