import Charts
import SQLiteDB
import Tracker
import Wording
import Output

/// A self-contained HTML page about one or more runs: summary, configuration, the four charts
/// (loss, accuracy, parameters, gradient check) as inline SVG, and the per-epoch table, with no
/// script, no stylesheet and no image from anywhere else.
struct HTMLReport {
    let store: Store
    let ids: [Int64]
    /// Per-epoch rows shown at each end of a longer table; the rest are counted, not shown.
    static let tableEnds = 10

    /// The whole page.
    func page() throws(TrackerError) -> String {
        let catalog = RunCatalog(store: store)
        let title = ids.count == 1 ? "gradlog: run \(ids[0])" : "gradlog: runs " + ids.map(String.init).joined(separator: ", ")
        var html = """
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(LineChart.escaped(title))</title>
            <style>
            body { font: 14px sans-serif; margin: 24px; color: #222; background: #fff; }
            table { border-collapse: collapse; margin: 8px 0 24px; } td, th { padding: 2px 10px; border-bottom: 1px solid #ddd; }
            td.n { text-align: right; font-variant-numeric: tabular-nums; } th { text-align: left; }
            .charts svg { max-width: 100%; height: auto; margin: 8px 0; } .note { color: #666; }
            @media (prefers-color-scheme: dark) { body { color: #eee; background: #111; } td, th { border-color: #444; } .note { color: #aaa; } }
            </style>
            </head>
            <body>
            <h1>\(LineChart.escaped(title))</h1>

            """
        html += "<h2>Summary</h2>\n" + (try summaries(catalog))
        html += "<h2>Charts</h2>\n<div class=\"charts\">\n"
        var nothingLogged: [String] = []
        for kind in Gradlog.Plot.Kind.builtIn {
            let builder = ChartBuilder(store: store, kind: kind, perStep: kind == .gradcheck, logY: kind == .gradcheck)
            let chart = try builder.chart(of: ids)
            // A run logged from outside may have no loss, no samples or no parameters: no empty frames.
            guard chart.series.contains(where: { !$0.envelope.isEmpty }) else {
                nothingLogged.append(kind.name)
                continue
            }
            html += chart.svg()
        }
        let metrics = try metricNames(catalog)
        for name in metrics.prefix(Self.maxMetricCharts) {
            html += try ChartBuilder(store: store, kind: .metric(name), perStep: false, logY: false).chart(of: ids).svg()
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
        for id in ids {
            html += "<h2>Epochs of run \(id)</h2>\n" + (try epochTable(id, catalog))
        }
        return html + "</body>\n</html>\n"
    }

    /// The most metrics the page draws a chart of, in the order of their names.
    static let maxMetricCharts = 12

    /// The names of the runs' metrics, each once, in alphabetical order.
    private func metricNames(_ catalog: RunCatalog) throws(TrackerError) -> [String] {
        var names = Set<String>()
        for id in ids { names.formUnion(try catalog.metricNames(of: id)) }
        return names.sorted()
    }

    /// The summary of each run side by side, then each run's configuration.
    private func summaries(_ catalog: RunCatalog) throws(TrackerError) -> String {
        var out = ""
        for id in ids {
            let summary = try catalog.summary(of: id).transposed()
            out += Self.table(summary.columns, summary.rows)
        }
        if ids.count == 1, let id = ids.first {
            let details = try catalog.details(of: id)
            out += "<details><summary>Configuration and provenance</summary>\n" + Self.table(details.columns, details.rows)
                + "</details>\n"
        }
        return out
    }

    /// The per-epoch report, its first and last rows when it is long, with how to get all of it.
    private func epochTable(_ id: Int64, _ catalog: RunCatalog) throws(TrackerError) -> String {
        var columns: [String] = []
        var head: [[SQLiteValue]] = []
        var tail: [[SQLiteValue]] = []
        var count = 0
        do {
            try catalog.streamReport(.epochs, of: id, columns: { columns = $0 }, row: { row in
                count += 1
                if head.count < Self.tableEnds { head.append(row) } else {
                    tail.append(row)
                    if tail.count > Self.tableEnds { tail.removeFirst() }
                }
            })
        } catch let error as TrackerError {
            throw error
        } catch {
            throw store.wrap(error)
        }
        let left = count - head.count - tail.count
        var out = Self.table(columns, head)
        if left > 0 {
            out += "<p class=\"note\">\(left) epochs left out here; all of them: <code>\(LineChart.escaped(Hint.command("report \(id) --csv")))</code></p>\n"
            out += Self.table(columns, tail)
        } else if !tail.isEmpty {
            out += Self.table(columns, tail)
        }
        return out
    }

    /// An HTML table of values as the other formats write them, numbers on the right.
    static func table(_ columns: [String], _ rows: [[SQLiteValue]]) -> String {
        var out = "<table>\n<tr>" + columns.map { "<th>\(LineChart.escaped($0))</th>" }.joined() + "</tr>\n"
        for row in rows {
            out += "<tr>" + row.map { value in
                let text = LineChart.escaped(CellText.plain(value))
                return CellText.isNumeric(value) ? "<td class=\"n\">\(text)</td>" : "<td>\(text)</td>"
            }.joined() + "</tr>\n"
        }
        return out + "</table>\n"
    }
}
