import Charts
import HTMLPages
import Tracker

/// The run page's charts: those of `report --html` (loss, accuracy, parameters, gradient check,
/// each metric), over a range of epochs when the address asks for one. Each one-line chart per
/// epoch (loss, accuracy, a metric) sits in a box whose data attributes carry its envelope
/// (`ChartData`), which the live script grows as rows arrive and replaces when zooming.
struct RunCharts {
    let runID: Int64
    /// The epochs asked for, nil for the whole run.
    let window: ClosedRange<Int64>?
    /// Whether the run is still written: its per-epoch charts then reach past its latest epoch (to
    /// twice it, or its planned last epoch), so that no point lies on the x domain's right end yet
    /// and the script can widen the domain by merging columns pairwise without ever splitting one.
    let running: Bool
    /// Who reads the charts' data: two connections at once when the server has one to spare.
    var readers = TwoReaders(shared: nil)

    /// The charts' section.
    func render(_ catalog: RunCatalog) throws(TrackerError) -> String {
        var html = "<h2>Charts</h2>\n" + zoomForm() + "<div class=\"charts\">\n"
        var nothingLogged: [String] = []
        let epochs = try epochWindow(catalog)
        // The steps of the epochs asked for, for the per-step chart; nil inside when none was logged.
        let steps = try window.map { range throws(TrackerError) in try catalog.steps(ofEpochs: range, of: runID) }
        let metrics = try catalog.metricNames(.epochs, of: runID)
        let external = try catalog.isExternal(runID)
        let kinds = ChartKind.builtIn + metrics.prefix(HTMLReport.maxMetricCharts).map { ChartKind.metric($0) }
        // The per-step charts read rows as well as summaries: they go first, one on each connection.
        let costly = kinds.indices.filter { kinds[$0] == .gradcheck || kinds[$0] == .params }
        let charts = try readers.map(count: kinds.count, first: costly, on: catalog) { index, reader throws(TrackerError) in
            try chart(kinds[index], reader.store, epochs: epochs, steps: steps)
        }
        for (index, kind) in kinds.enumerated() {
            let perStep = kind == .gradcheck
            // A range of epochs with no steps logged: nothing to draw over it.
            guard let chart = charts[index] else { nothingLogged.append(kind.name); continue }
            let live = !perStep && kind != .params
            // A run logged from outside may have no loss or no parameters: no empty frames, but for a
            // running run's loss and accuracy (but a run logged from outside may never give one), which fill as it trains.
            let awaited = running && window == nil && (kind == .loss || (kind == .accuracy && !external))
            guard chart.series.contains(where: { !$0.envelope.isEmpty }) || awaited else { nothingLogged.append(kind.name); continue }
            let svg = chart.svg(idPrefix: "chart\(index + 1)-")
            // An empty value is NaN in the loss, and in a trained run's accuracy; else a value not given.
            let nullIsNaN = kind == .loss || (kind == .accuracy && !external)
            let attributes = ChartData(chart: chart).attributes(kind: kind, window: window, nullIsNaN: nullIsNaN)
            if live {
                html += "<div class=\"live-chart\"\(attributes)>\n\(svg)</div>\n"
            } else if running && window == nil {
                // Drawn again by the server as the run goes on (`/runs/ID/chart.svg`); the script swaps it in.
                html += "<div class=\"refresh-chart\" data-chart=\"\(kind.name)\">\n\(svg)</div>\n"
            } else {
                html += svg
            }
        }
        html += "</div>\n"
        if !nothingLogged.isEmpty {
            html += "<p class=\"note\">No chart of " + nothingLogged.joined(separator: ", ")
                + (window == nil ? ": the run logged no such values.</p>\n" : ": the run logged no such values in these epochs.</p>\n")
        }
        if metrics.count > HTMLReport.maxMetricCharts {
            html += "<p class=\"note\">\(metrics.count - HTMLReport.maxMetricCharts) more metrics are not drawn here; "
                + "<code>gradlog plot \(runID) --chart NAME</code> draws any of them.</p>\n"
        }
        return html
    }

    /// The chart `kind` over the epochs (or, per step, the steps) asked for; nil when a range of
    /// epochs holds no steps for a per-step chart.
    private func chart(_ kind: ChartKind, _ store: Store, epochs: ClosedRange<Int64>?,
                       steps: ClosedRange<Int64>??) throws(TrackerError) -> LineChart? {
        let perStep = kind == .gradcheck
        var builder = ChartBuilder(store: store, kind: kind, perStep: perStep, logY: kind == .gradcheck)
        if perStep, let steps {
            guard let steps else { return nil }
            builder.window = (steps.lowerBound, steps.upperBound)
        } else if !perStep, let epochs {
            builder.window = (epochs.lowerBound, epochs.upperBound)
        }
        return try builder.chart(of: [runID])
    }

    /// The SVG of the parameters or gradient-check chart as the page draws it now, for the script
    /// to swap in while the run trains (`/runs/ID/chart.svg?chart=NAME`).
    func svg(of kind: ChartKind, _ catalog: RunCatalog) throws(TrackerError) -> String {
        let epochs = try epochWindow(catalog)
        let chart = try chart(kind, catalog.store, epochs: epochs, steps: nil)
        let index = (ChartKind.builtIn.firstIndex(of: kind) ?? 0) + 1
        return chart?.svg(idPrefix: "chart\(index)-") ?? ""
    }

    /// The chart of `/runs/ID/chart.svg`: `chart` once, `params` or `gradcheck`, and `step`, the
    /// step the script had seen (which makes each address new to the browser's cache), at most once.
    static func refreshedChart(_ pairs: [(name: String, value: String)]) throws(QueryString.Invalid) -> ChartKind {
        var chart: ChartKind?, step = false
        for (key, value) in pairs where key != "token" {
            switch key {
            case "chart":
                guard chart == nil else { throw .init(reason: "'chart' is given twice") }
                guard value == ChartKind.params.name || value == ChartKind.gradcheck.name else {
                    throw .init(reason: "chart must be params or gradcheck")
                }
                chart = value == ChartKind.params.name ? .params : .gradcheck
            case "step":
                guard !step, QueryString.number(value, max: Int64.max) != nil else { throw .init(reason: "step must be a step number, once") }
                step = true
            default:
                throw .init(reason: "unknown parameter '\(key)'")
            }
        }
        guard let chart else { throw .init(reason: "chart is missing: params or gradcheck") }
        return chart
    }

    /// The epochs the per-epoch charts span: the range asked for; for a running run from 1 to twice
    /// its latest epoch, or to its planned last epoch when that comes sooner (a long run's early
    /// epochs are not squeezed into the left edge; the script doubles the domain as it grows).
    private func epochWindow(_ catalog: RunCatalog) throws(TrackerError) -> ClosedRange<Int64>? {
        if let window { return window }
        guard running, let progress = try catalog.progress(of: runID) else { return nil }
        let planned = try catalog.plannedEpochs(of: runID) ?? 0
        let doubled = max(2 * progress.epochs, progress.epochs + 2)
        return 1...max(planned > progress.epochs ? min(planned, doubled) : doubled, 3)
    }

    /// The range form: a GET of the page itself with `from` and `to`, which works without the
    /// script; with it, the charts are refetched in place.
    private func zoomForm() -> String {
        let from = window.map { "\($0.lowerBound)" } ?? "", to = window.map { "\($0.upperBound)" } ?? ""
        var html = "<form id=\"zoom\" class=\"filter\" method=\"get\" action=\"/runs/\(runID)\">"
            + "<label>from epoch <input name=\"from\" type=\"number\" min=\"0\" value=\"\(from)\"></label>"
            + "<label>to epoch <input name=\"to\" type=\"number\" min=\"0\" value=\"\(to)\"></label>"
            + "<button type=\"submit\">Zoom</button>"
        if window != nil { html += " <a id=\"zoom-all\" href=\"/runs/\(runID)\">all epochs</a>" }
        return html + " <span id=\"zoom-note\"></span></form>\n"
    }
}

