import Charts
import Tracker
import Training
import Wording

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
            let runName = try Self.name(of: id, reader: reader)
            for (label, envelope) in try envelopes(of: id, xDomain: xDomain, catalog: catalog, reader: reader) {
                guard series.count < Self.maxSeries else { leftOut += 1; continue }
                series.append(.init(name: ids.count > 1 && label != nil ? "\(runName) \(label ?? "")" : label ?? runName,
                                    envelope: envelope))
            }
        }
        var chart = LineChart(
            title: try title(ids, reader: reader) + (leftOut > 0 ? " (\(leftOut) more left out)" : ""),
            description: "\(yLabel) of run \(ids.map(String.init).joined(separator: ", ")) per \(perStep ? "step" : "epoch")",
            xLabel: perStep ? "step" : "epoch", yLabel: yLabel, yKind: logY ? .log : .linear, series: series)
        if kind == .gradcheck, let id = ids.first,
           let rtol = try reader.relativeTolerance(of: id) {
            chart.references = [(label: "rtol \(Ticks.label(rtol))", y: rtol)]
        }
        return chart
    }

    /// The lines of one run, each with a label (nil for the run's only line). A run with hidden
    /// layers gets one line per layer, the envelope of all of its parameters, so that a layer that
    /// misbehaves stands out; the single neuron one line per parameter.
    private func envelopes(of id: Int64, xDomain: ClosedRange<Double>, catalog: RunCatalog,
                           reader: ChartReader) throws(TrackerError) -> [(String?, Envelope)] {
        let empty = Envelope(width: LineChart.plotWidth, xDomain: xDomain)
        switch kind {
        case .loss, .accuracy, .metric:
            let quantity: ChartReader.Quantity = switch kind {
            case .metric(let name): .metric(name)
            case .accuracy: .accuracy
            default: .loss
            }
            var envelope = empty
            try reader.points(quantity, of: id, steps: perStep) { envelope.add(x: $0, y: $1) }
            return [(nil, envelope)]
        case .params, .gradcheck:
            let names = try catalog.parameterNames(of: id)
            let layers = names.map(Self.layer(of:))
            // Only the layers that occur, in order: a name from outside may number them from anywhere.
            let numbers = Array(Set(layers.compactMap { $0 })).sorted()
            let groups = layers.contains(nil) ? Array(names.indices) : layers.map { numbers.firstIndex(of: $0 ?? 0) ?? 0 }
            let labels = layers.contains(nil) ? names : numbers.map { layer in
                "layer \(layer) (\(layers.filter { $0 == layer }.count) parameters)"
            }
            var envelopes = Array(repeating: empty, count: labels.count)
            try reader.readEveryParameter(names, of: id, errors: kind == .gradcheck, steps: perStep,
                                          into: &envelopes, groups: groups)
            return zip(labels, envelopes).map { ($0, $1) }
        }
    }

    /// The layer of a layered parameter name (`l2.n1.w3` → 2), nil for the single neuron's names
    /// and for any name gradlog's trainer would not write (`l0.w` from a run logged outside).
    static func layer(of name: String) -> Int? {
        guard name.hasPrefix("l"), ParameterName.isValid(name), let dot = name.firstIndex(of: ".") else { return nil }
        return Int(name[name.index(after: name.startIndex)..<dot])
    }

    private var yLabel: String {
        switch kind {
        case .loss: perStep ? "loss" : "mean loss"
        case .accuracy: "accuracy"
        case .params: "value"
        case .gradcheck: "relative error"
        case .metric(let name): name
        }
    }

    private func title(_ ids: [Int64], reader: ChartReader) throws(TrackerError) -> String {
        let what = switch kind {
        case .loss: "Loss"
        case .accuracy: "Accuracy"
        case .params: "Parameters"
        case .gradcheck: "Gradient check"
        case .metric(let name): MessageText.shown(name, limit: 40)
        }
        let runs = ids.count == 1 ? try "run " + Self.name(of: ids[0], reader: reader) : "\(ids.count) runs"
        return "\(what) per \(perStep ? "step" : "epoch"), \(runs)"
    }

    /// `3` or `3 (name)`.
    private static func name(of id: Int64, reader: ChartReader) throws(TrackerError) -> String {
        let name = try reader.name(of: id)
        return name.isEmpty ? "\(id)" : "\(id) (\(MessageText.shown(name, limit: 30)))"
    }
}
