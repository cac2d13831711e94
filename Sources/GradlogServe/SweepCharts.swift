import Charts
import HTMLPages
import SQLiteDB
import Tracker

extension SweepPage {
    /// How a sweep's charts show its trials.
    enum Drawing: Equatable {
        /// Every trial a line of its own.
        case overlaid
        /// The trials grouped by one setting's value, each group a mean in a ±1 sd band.
        case grouped(String)
        /// The trials of lowest final loss, a line each.
        case best
    }

    /// The query's `group` for a sweep: `best`, a setting that varies, or (none given) the setting
    /// that splits the trials into the most groups that a chart still draws, else the best trials.
    func drawing(_ settings: SettingValues) throws(QueryString.Invalid) -> Drawing {
        let varying = settings.differing
        if let group = query.group {
            if group == "best" { return .best }
            guard varying.contains(group) else {
                throw .init(reason: "group must be best or a setting that varies: " + varying.joined(separator: ", "))
            }
            return .grouped(group)
        }
        guard ids.count > ChartBuilder.maxSeries else { return .overlaid }
        let counts = varying.map { (setting: $0, groups: settings.groups(by: [$0]).count) }
            .filter { (2...ChartBuilder.maxSeries).contains($0.groups) }
        guard let most = counts.max(by: { $0.groups < $1.groups }) else { return .best }
        return .grouped(most.setting)
    }

    /// The charts section, with a line on how the trials are drawn and links to the other ways.
    func charts(_ catalog: RunCatalog, settings: SettingValues, table: Table) throws(TrackerError) -> Result<String, QueryString.Invalid> {
        let drawing: Drawing
        do throws(QueryString.Invalid) { drawing = try self.drawing(settings) } catch { return .failure(error) }
        let store = catalog.store
        var html = ""
        switch drawing {
        case .overlaid:
            html = try HTMLReport(store: store, ids: ids).charts(catalog)
        case .grouped(let setting):
            let groups = settings.groups(by: [setting])
            html = "<h2>Charts</h2>\n<p class=\"note\">The \(ids.count) trials in \(groups.count) groups by <code>\(LineChart.escaped(setting))</code>"
                + ": each group's mean in a band of one standard deviation either side (as <code>gradlog plot --group-by</code>).</p>\n"
            html += try chartGrid { kind throws(TrackerError) in
                var builder = ChartBuilder(store: store, kind: kind, perStep: false, logY: false)
                builder.groups = groups
                return try builder.chart(of: ids)
            }
        case .best:
            let best = Self.best(table, count: ChartBuilder.maxSeries)
            html = "<h2>Charts</h2>\n<p class=\"note\">The \(best.count) trials of lowest final loss, of \(ids.count), a line each.</p>\n"
            html += try chartGrid { kind throws(TrackerError) in try ChartBuilder(store: store, kind: kind, perStep: false, logY: false).chart(of: best) }
        }
        return .success(html + otherDrawings(settings.differing, current: drawing))
    }

    /// The sweep's charts of `groupedCharts`, in the report's grid, leaving out any with nothing logged.
    private func chartGrid(_ chart: (ChartKind) throws(TrackerError) -> LineChart) throws(TrackerError) -> String {
        var html = "<div class=\"charts\">\n"
        for (index, kind) in Self.groupedCharts.enumerated() {
            let drawn = try chart(kind)
            guard drawn.series.contains(where: { !$0.envelope.isEmpty }) else { continue }
            html += drawn.svg(idPrefix: "chart\(index + 1)-")
        }
        return html + "</div>\n"
    }

    /// The ids of the `count` trials of lowest final loss (those without one last), in that order.
    static func best(_ table: Table, count: Int) -> [Int64] {
        let run = { (row: [SQLiteValue]) in table.value("run", in: row)?.int64Value }
        guard let loss = table.columns.firstIndex(of: "final_loss") else { return Array(table.rows.prefix(count).compactMap(run)) }
        let finite = table.rows.filter { $0[loss].doubleValue?.isFinite == true }
        let rest = table.rows.filter { $0[loss].doubleValue?.isFinite != true }
        return Array((SQLiteOrder.sorted(finite, by: loss, descending: false) + rest).prefix(count).compactMap(run))
    }

    /// Links to draw the charts the other ways: grouped by each varying setting, or the best trials.
    private func otherDrawings(_ varying: [String], current: Drawing) -> String {
        let choices = varying.map { (label: "grouped by \($0)", group: $0, drawing: Drawing.grouped($0)) }
            + (ids.count > ChartBuilder.maxSeries ? [(label: "the best \(ChartBuilder.maxSeries) trials", group: "best", drawing: Drawing.best)] : [])
        let links = choices.filter { $0.drawing != current }.map { choice in
            "<a href=\"\(LineChart.escaped(link(group: .some(choice.group))))\">\(LineChart.escaped(choice.label))</a>"
        }
        return links.isEmpty ? "" : "<p class=\"note\">Draw the trials " + links.joined(separator: " · ") + ".</p>\n"
    }
}
