import Charts
import Tracker
import Training
import Wording

/// Turns runs into a `LineChart`: one series per run (loss, accuracy, a metric), per run and
/// parameter (params, gradcheck of the single neuron), per run and layer (a network: the band of
/// the layer's parameters around their median), or per group of runs (`groups`: the mean of the
/// group's runs in a ±1 standard deviation band); each read in x order into envelopes of the
/// chart's width.
public struct ChartBuilder {
    public let store: Store
    public let kind: ChartKind
    public let perStep: Bool
    public let logY: Bool
    /// A logarithmic x axis.
    public var logX = false
    /// Only the steps or epochs from `from` through `to` (either nil: the runs' own end).
    public var window: (from: Int64?, to: Int64?) = (nil, nil)
    /// Runs averaged by group instead of drawn one by one (`--group-by`).
    public var groups: [RunGroup]?

    /// The most series one chart draws; further parameters or groups are left out and the title says so.
    public static let maxSeries = 24

    /// A builder of the `kind` chart, per step or per epoch, on a linear or logarithmic y axis.
    public init(store: Store, kind: ChartKind, perStep: Bool, logY: Bool) {
        self.store = store
        self.kind = kind
        self.perStep = perStep
        self.logY = logY
    }

    /// The chart of the runs `ids`.
    public func chart(of ids: [Int64]) throws(TrackerError) -> LineChart {
        let reader = ChartReader(store: store)
        let shape = try self.shape(of: ids, reader: reader)
        var series: [LineChart.Series] = []
        var leftOut = 0
        if let groups {
            series = try groupSeries(groups, shape: shape)
            leftOut = max(groups.count - Self.maxSeries, 0)
        } else {
            let names = try runNames(ids, reader: reader)
            for (id, runName) in zip(ids, names) {
                for line in try lines(of: id, shape: shape, reader: reader) {
                    guard series.count < Self.maxSeries else { leftOut += 1; continue }
                    let name = ids.count > 1 && line.label != nil ? "\(runName) \(line.label ?? "")" : line.label ?? runName
                    series.append(.init(name: name, envelope: line.envelope, band: line.band))
                }
            }
        }
        var chart = LineChart(
            title: try title(ids, reader: reader) + (leftOut > 0 ? " (\(leftOut) more left out)" : ""),
            description: description(ids), xLabel: perStep ? "step" : "epoch", yLabel: yLabel,
            yKind: logY ? .log : .linear, series: series)
        chart.xKind = shape.xKind
        // Accuracy is a share: 0 to 1 whatever the runs reached, so charts of runs compare at a glance.
        if kind == .accuracy && !logY { chart.yDomain = 0...1 }
        if kind == .gradcheck, let id = ids.first, let rtol = try reader.relativeTolerance(of: id) {
            chart.references = [(label: "rtol \(Ticks.label(rtol))", y: rtol)]
        }
        return chart
    }

    /// An empty envelope over the chart's x axis: the window asked for, else from 1 to the longest
    /// run's last epoch (or step); at least three whole numbers wide, and from 1 on a log axis.
    private func shape(of ids: [Int64], reader: ChartReader) throws(TrackerError) -> Envelope {
        let extent = try ids.map { id throws(TrackerError) in try reader.extent(of: id, steps: perStep) }.max() ?? 1
        let low = Double(window.from ?? 1), high = Double(window.to ?? Int64(max(extent, 1)))
        var domain = LineChart.integerDomain(low, max(high, low))
        if logX { domain = max(domain.lowerBound, 1)...max(domain.upperBound, max(domain.lowerBound, 1) + 2) }
        return Envelope(width: LineChart.plotWidth, xDomain: domain, xKind: logX ? .log : .linear,
                        clipped: window.from != nil || window.to != nil)
    }

    /// One line of a run: its label (nil for the run's only line), the line, and a layer's band.
    private struct Line {
        let label: String?
        let envelope: Envelope
        var band: (lower: Envelope, upper: Envelope)?
    }

    /// The lines of one run. A run with hidden layers gets one per layer: the median of the layer's
    /// parameters in the band of their lowest and highest values, so that a layer that misbehaves
    /// stands out; the single neuron one line per parameter.
    private func lines(of id: Int64, shape: Envelope, reader: ChartReader) throws(TrackerError) -> [Line] {
        switch kind {
        case .loss, .accuracy, .metric:
            var envelope = shape
            // A window is read by the key's range: a zoom into a long run reads only its part.
            let range = window.from == nil && window.to == nil ? nil : (window.from ?? .min)...max(window.to ?? .max, window.from ?? .min)
            try reader.read(quantity, of: id, steps: perStep, in: range, into: &envelope)
            return [Line(label: nil, envelope: envelope)]
        case .params, .gradcheck:
            let names = try RunCatalog(store: store).parameterNames(of: id)
            let layers = names.map(Self.layer(of:))
            // Only the layers that occur, in order: a name from outside may number them from anywhere.
            let numbers = Array(Set(layers.compactMap { $0 })).sorted()
            let layered = !layers.contains(nil)
            let groups = layered ? layers.map { numbers.firstIndex(of: $0 ?? 0) ?? 0 } : Array(names.indices)
            let labels = layered ? numbers.map { layer in
                "layer \(layer) (\(layers.filter { $0 == layer }.count) parameters)"
            } : names
            var bands = GroupBands(count: labels.count, shapedLike: shape, tracksMedians: layered)
            try reader.readEveryParameter(names, of: id, errors: kind == .gradcheck, steps: perStep, into: &bands, groups: groups)
            return labels.indices.map { index in
                layered ? Line(label: labels[index], envelope: bands.medians[index], band: (bands.ranges[index], bands.ranges[index]))
                    : Line(label: labels[index], envelope: bands.ranges[index])
            }
        }
    }

    /// Each group's mean in the band of one standard deviation either side, aligned by epoch (or
    /// step); NaN and infinite values of its runs are counted where they are, not averaged.
    private func groupSeries(_ groups: [RunGroup], shape: Envelope) throws(TrackerError) -> [LineChart.Series] {
        var means = Array(repeating: shape, count: groups.count)
        var lowers = means, uppers = means
        var statistics = try GroupStatistics(quantity, of: groups, steps: perStep, in: store)
        while let (x, points) = try statistics.next() {
            for (index, point) in points.enumerated() {
                guard let point else { continue }
                let at = Double(x)
                if let mean = point.mean {
                    means[index].add(x: at, y: mean)
                    lowers[index].add(x: at, y: mean - (point.sd ?? 0))
                    uppers[index].add(x: at, y: mean + (point.sd ?? 0))
                } else {
                    means[index].add(x: at, y: .nan)  // breaks the line; counted below
                }
                for _ in 0..<point.notFinite { lowers[index].add(x: at, y: .nan) }
            }
        }
        return groups.indices.prefix(Self.maxSeries).map { index in
            let count = groups[index].runIDs.count
            return .init(name: "\(groups[index].label) (\(count) run\(count == 1 ? "" : "s"))", envelope: means[index],
                         band: (lowers[index], uppers[index]))
        }
    }

    /// What a one-line chart reads.
    private var quantity: ChartReader.Quantity {
        switch kind {
        case .metric(let name): .metric(name)
        case .accuracy: .accuracy
        default: .loss
        }
    }

    /// The layer of a layered parameter name (`l2.n1.w3` → 2), nil for the single neuron's names
    /// and for any name gradlog's trainer would not write (`l0.w` from a run logged outside).
    static func layer(of name: String) -> Int? {
        name.hasPrefix("l") ? ParameterName.unit(of: name)?.layer : nil
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
        let grouped = groups.map { ", \($0.count) group\($0.count == 1 ? "" : "s"): mean ± 1 sd" } ?? ""
        return "\(what) per \(perStep ? "step" : "epoch"), \(runs)\(grouped)"
    }

    private func description(_ ids: [Int64]) -> String {
        let runs = "\(yLabel) of run\(ids.count == 1 ? "" : "s") \(ids.map(String.init).joined(separator: ", ")) per \(perStep ? "step" : "epoch")"
        if let groups {
            return runs + "; each group's mean, in a band of one standard deviation either side, over its runs at each "
                + (perStep ? "step" : "epoch") + ": " + groups.map { "\($0.label): runs \($0.runIDs.map(String.init).joined(separator: ", "))" }
                .joined(separator: "; ")
        }
        let layered = (kind == .params || kind == .gradcheck) ? "; for a network, each layer's median in the band of its lowest and highest value" : ""
        return runs + layered
    }

    /// Each run's name in the legend: `3 (name)` for a named run; for an unnamed one among runs
    /// that differ in a few settings (a sweep), those settings (`lr=0.1 seed=2`); else its id.
    private func runNames(_ ids: [Int64], reader: ChartReader) throws(TrackerError) -> [String] {
        let labels = ids.count > 1 ? try SettingValues(ids, in: store).legendLabels() : nil
        return try ids.indices.map { index throws(TrackerError) in
            let name = try reader.name(of: ids[index])
            if !name.isEmpty { return "\(ids[index]) (\(MessageText.shown(name, limit: 30)))" }
            return labels.map { MessageText.shown($0[index], limit: 60) } ?? "\(ids[index])"
        }
    }

    /// `3` or `3 (name)`.
    private static func name(of id: Int64, reader: ChartReader) throws(TrackerError) -> String {
        let name = try reader.name(of: id)
        return name.isEmpty ? "\(id)" : "\(id) (\(MessageText.shown(name, limit: 30)))"
    }
}
