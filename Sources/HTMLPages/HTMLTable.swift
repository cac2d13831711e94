import Charts
import Output
import SQLiteDB

/// An HTML table of values as the other formats write them, in a box of its own that scrolls
/// sideways when the table is wider than the page (see `HTMLPageStyle`: the first column stays in
/// view, numbers sit on the right and never break).
public enum HTMLTable {
    /// The table of `rows` under `columns`, in its scrolling box; with a `gap`, that markup (a note
    /// on rows left out) in a row of its own, then the `after` rows, so both parts keep one set of
    /// column widths; with `links`, each row's first cell links to the address beside it.
    public static func render(_ columns: [String], _ rows: [[SQLiteValue]], gap: String? = nil, after: [[SQLiteValue]] = [],
                              links: [String]? = nil) -> String {
        var out = "<div class=\"scroll\">\n<table>\n<tr>" + columns.map { "<th>\(LineChart.escaped($0))</th>" }.joined() + "</tr>\n"
        for (index, row) in rows.enumerated() {
            guard let links, index < links.count, let first = row.first else {
                out += "<tr>" + row.map(cell).joined() + "</tr>\n"
                continue
            }
            let text = "<a href=\"\(LineChart.escaped(links[index]))\">\(LineChart.escaped(CellText.plain(first)))</a>"
            out += "<tr>" + (CellText.isNumeric(first) ? "<td class=\"n\">\(text)</td>" : "<td>\(text)</td>")
                + row.dropFirst().map(cell).joined() + "</tr>\n"
        }
        if let gap {
            out += "<tr><td class=\"gap\" colspan=\"\(max(columns.count, 1))\">\(gap)</td></tr>\n"
            for row in after { out += "<tr>" + row.map(cell).joined() + "</tr>\n" }
        }
        return out + "</table>\n</div>\n"
    }

    /// One cell: a number in class `n` (right-aligned, unbroken), any other value as text.
    public static func cell(_ value: SQLiteValue) -> String {
        let text = LineChart.escaped(CellText.plain(value))
        return CellText.isNumeric(value) ? "<td class=\"n\">\(text)</td>" : "<td>\(text)</td>"
    }
}
