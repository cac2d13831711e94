import Charts
import HTMLPages
import Output
import Tracker

/// `/runs/ID/series?chart=NAME&from=A&to=B`: one per-epoch chart of a run (its loss, its accuracy
/// or one of its metrics) over epochs A through B at full resolution, as JSON (`ChartData`): the
/// chart code's own envelope over that range only, read by the key's range. The run page's script
/// zooms with it.
struct SeriesRoute {
    /// The chart asked for.
    let kind: ChartKind
    /// The epochs asked for; a missing end is the run's (from 1 to its latest epoch).
    let from: Int64?, to: Int64?

    /// The request's parameters: `chart` once (loss, accuracy or a metric's name), `from` and `to`.
    init(_ pairs: [(name: String, value: String)]) throws(QueryString.Invalid) {
        var chart: String?
        (from, to) = try RunQuery.range(pairs, allowing: ["chart", "token"]) { key, value throws(QueryString.Invalid) in
            guard key == "chart" else { return }
            guard chart == nil else { throw .init(reason: "'chart' is given twice") }
            chart = value
        }
        guard let chart else { throw .init(reason: "chart is missing: loss, accuracy or the name of one of the run's metrics") }
        guard let kind = ChartKind(argument: chart), kind != .params, kind != .gradcheck else {
            throw .init(reason: "chart must be loss, accuracy or the name of one of the run's metrics")
        }
        self.kind = kind
    }

    /// Why the run cannot give the chart (a metric it never logged), nil when it can.
    func refusal(_ runID: Int64, _ catalog: RunCatalog) throws(TrackerError) -> String? {
        guard case .metric(let name) = kind else { return nil }
        return try catalog.metricNames(.epochs, of: runID).contains(name) ? nil : "run \(runID) has no metric '\(name)'"
    }

    /// The JSON answer for run `runID`.
    func json(_ runID: Int64, _ catalog: RunCatalog) throws(TrackerError) -> String {
        let latest = try catalog.progress(of: runID)?.epochs ?? 0
        let low = from ?? min(1, to ?? 1), high = to ?? max(latest, low)
        var builder = ChartBuilder(store: catalog.store, kind: kind, perStep: false, logY: false)
        builder.window = (low, high)
        let data = ChartData(chart: try builder.chart(of: [runID]))
        return "{\"chart\":\(JSONRowWriter.json(.text(kind.name))),\"from\":\(low),\"to\":\(high),\"x\":\(data.xDomainJSON),"
            + "\"y\":\(data.yDomainJSON),\"yFixed\":\(data.yFixed),\"columns\":\(data.columnsJSON)}\n"
    }
}
