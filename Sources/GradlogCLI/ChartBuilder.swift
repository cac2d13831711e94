import Charts
import Tracker
import Training

/// Turns runs into a `LineChart`: one series per run (loss, accuracy), or per run and parameter
/// (params, gradcheck), each read in x order into an envelope of the chart's width.
struct ChartBuilder {
    let store: Store
    let kind: Gradlog.Plot.Kind
    let perStep: Bool
    let logY: Bool

    /// The most series one chart draws; further parameters are left out and the title says so.
    static let maxSeries = 24

    func chart(of ids: [Int64]) throws(TrackerError) -> LineChart {
        let reader = ChartReader(store: store)
        let catalog = RunCatalog(store: store)
        let extent = try ids.map { id throws(TrackerError) in try reader.extent(of: id, steps: perStep) }.max() ?? 1
        let xDomain = 1...Double(max(extent, 1))
        var series: [LineChart.Series] = []
        var leftOut = 0
        for id in ids {
            let runName = try Self.name(of: id, catalog: catalog)
            for (label, quantity) in try quantities(of: id, catalog: catalog) {
                guard series.count < Self.maxSeries else { leftOut += 1; continue }
                var envelope = Envelope(width: LineChart.plotWidth, xDomain: xDomain)
                try reader.points(quantity, of: id, steps: perStep) { envelope.add(x: $0, y: $1) }
                series.append(.init(name: ids.count > 1 && label != nil ? "\(runName) \(label ?? "")" : label ?? runName,
                                    envelope: envelope))
            }
        }
        var chart = LineChart(
            title: try title(ids, catalog: catalog) + (leftOut > 0 ? " (\(leftOut) more left out)" : ""),
            description: "\(yLabel) of run \(ids.map(String.init).joined(separator: ", ")) per \(perStep ? "step" : "epoch")",
            xLabel: perStep ? "step" : "epoch", yLabel: yLabel, yKind: logY ? .log : .linear, series: series)
        if kind == .gradcheck, let id = ids.first,
           let rtol = try catalog.query("SELECT rtol FROM runs WHERE id = ?", [.integer(id)]).rows.first?.first?.doubleValue {
            chart.references = [(label: "rtol \(Ticks.label(rtol))", y: rtol)]
        }
        return chart
    }

    /// The series of one run: a label (nil for the run's only line) and what it reads.
    private func quantities(of id: Int64, catalog: RunCatalog) throws(TrackerError) -> [(String?, ChartReader.Quantity)] {
        switch kind {
        case .loss: return [(nil, .loss)]
        case .accuracy: return [(nil, .accuracy)]
        case .params: return try catalog.parameterNames(of: id).map { ($0, .parameter($0)) }
        case .gradcheck: return try catalog.parameterNames(of: id).map { ($0, .relativeError($0)) }
        }
    }

    private var yLabel: String {
        switch kind {
        case .loss: perStep ? "loss" : "mean loss"
        case .accuracy: "accuracy"
        case .params: "value"
        case .gradcheck: "relative error"
        }
    }

    private func title(_ ids: [Int64], catalog: RunCatalog) throws(TrackerError) -> String {
        let what = ["loss": "Loss", "accuracy": "Accuracy", "params": "Parameters", "gradcheck": "Gradient check"][kind.rawValue] ?? ""
        let runs = ids.count == 1 ? try "run " + Self.name(of: ids[0], catalog: catalog) : "\(ids.count) runs"
        return "\(what) per \(perStep ? "step" : "epoch"), \(runs)"
    }

    /// `3` or `3 (name)`.
    private static func name(of id: Int64, catalog: RunCatalog) throws(TrackerError) -> String {
        let name = try catalog.query("SELECT name FROM runs WHERE id = ?", [.integer(id)]).rows.first?.first?.stringValue ?? ""
        return name.isEmpty ? "\(id)" : "\(id) (\(MessageText.shown(name, limit: 30)))"
    }
}
