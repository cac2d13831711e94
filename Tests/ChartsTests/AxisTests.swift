import Testing
import TestSupport
@testable import Charts

/// Axes that hold up on any series: at least three labelled round ticks, whole numbers on step
/// and epoch axes, fixed bounds for a share, decades on a log axis, a dot for a lone point.
@Suite struct AxisTests {
    /// A chart of one series with `ys` at x = 1, 2, 3, ...
    func chart(_ ys: [Double], kind: Scale.Kind = .linear, xKind: Scale.Kind = .linear) -> LineChart {
        let domain = LineChart.integerDomain(1, Double(max(ys.count, 1)))
        var envelope = Envelope(width: LineChart.plotWidth, xDomain: domain, xKind: xKind)
        for (i, y) in ys.enumerated() { envelope.add(x: Double(i + 1), y: y) }
        var chart = LineChart(title: "t", description: "d", xLabel: "epoch", yLabel: "loss", yKind: kind,
                              series: [.init(name: "run", envelope: envelope)])
        chart.xKind = xKind
        return chart
    }

    static let series: [[Double]] = [
        // 1e-320 and 2e-320 (subnormal; literals of them draw a warning).
        [2024 * .leastNonzeroMagnitude, 4048 * .leastNonzeroMagnitude], [1e308, 1.7e308], [1.0e306, 1.01e306], [0.25],
        [1, 1, 1], [0.69314718, 0.69314719], [-1e-300, 1e-300], [.leastNonzeroMagnitude], [.greatestFiniteMagnitude], [0], [1e-12, 1e-3], [0.5, 0.9], [3, 3.000001],
        [-7.5, -7.5], [1e15 + 1, 1e15 + 2],
    ]

    @Test("Every y axis has at least three labelled ticks with different labels, on both scales, whatever the values",
          arguments: series)
    func threeLabelledTicks(ys: [Double]) throws {
        for kind in [Scale.Kind.linear, .log] where kind == .linear || ys.contains(where: { $0 > 0 }) {
            let shapes = try SVGShapes.read(chart(ys, kind: kind).svg())
            let labels = shapes.yTickLabels
            #expect(labels.count >= 3, "\(kind) \(ys): \(labels)")
            #expect(Set(labels).count == labels.count, "\(kind) \(ys): \(labels)")
            #expect(labels.allSatisfy { Double($0)?.isFinite == true }, "\(kind) \(ys): \(labels)")
        }
    }

    @Test("Step and epoch axes have at least three ticks, all whole numbers, from one epoch to millions")
    func integerTicks() throws {
        for count in [1, 2, 3, 5, 7, 30, 101, 2_000, 30_000, 1_234_567] {
            var envelope = Envelope(width: LineChart.plotWidth, xDomain: LineChart.integerDomain(1, Double(count)))
            envelope.add(x: 1, y: 1)
            let chart = LineChart(title: "t", description: "d", xLabel: "epoch", yLabel: "loss", series: [.init(name: "r", envelope: envelope)])
            let labels = try SVGShapes.read(chart.svg()).xTickLabels
            #expect(labels.count >= 3, "\(count): \(labels)")
            #expect(labels.allSatisfy { Int($0) != nil }, "\(count): \(labels)")
        }
        #expect(LineChart.integerDomain(1, 1) == 0...2 && LineChart.integerDomain(1, 2) == 1...3)
    }

    @Test("Accuracy held to 0–1: a constant 1.0 gets the ticks 0, 0.2, …, 1 and no 1.4")
    func fixedShare() throws {
        var constant = chart([1, 1, 1, 1])
        constant.yDomain = 0...1
        #expect(try SVGShapes.read(constant.svg()).yTickLabels == ["0", "0.2", "0.4", "0.6", "0.8", "1"])
        var quarter = chart([0.25, 0.25])
        quarter.yDomain = 0...1
        #expect(try SVGShapes.read(quarter.svg()).yTickLabels.contains("0.2"))
    }

    @Test("A log axis labels powers of ten; over many decades it marks the ones it does not label")
    func decades() throws {
        let shapes = try SVGShapes.read(chart([1e-14, 1e-2], kind: .log).svg())
        #expect(shapes.yTickLabels.allSatisfy { $0.hasPrefix("1e-") || $0 == "0.01" || $0 == "0.001" })
        let marks = shapes.named("line", class: "axis").filter { $0.number("x1") == 76 && $0.number("x2") == 80 }
        #expect(marks.count + shapes.yTickLabels.count >= 13, "a mark or a label at every decade")
        // Less than a decade: 1, 2 and 5 times powers of ten, or plain steps.
        #expect(try SVGShapes.read(chart([0.5, 0.9], kind: .log).svg()).yTickLabels.count >= 3)
    }

    @Test("A run with one finite point draws a dot at it, with ticks 0, 1, 2 under it")
    func lonePoint() throws {
        let shapes = try SVGShapes.read(chart([0.6931]).svg())
        let dots = shapes.named("circle", class: "dot")
        #expect(dots.count == 1 && shapes.named("polyline").isEmpty)
        #expect(shapes.xTickLabels == ["0", "1", "2"])
        #expect(dots.first?.number("cx") == 390.5, "in the middle of the plot")
        // A point between NaNs is drawn too.
        #expect(try SVGShapes.read(chart([.nan, 0.5, .nan]).svg()).named("circle", class: "dot").count == 1)
    }

    @Test("A log x axis spreads decades evenly and ticks them")
    func logX() throws {
        let envelope = Envelope(width: 600, xDomain: 1...1000, xKind: .log)
        #expect(envelope.column(of: 10) == 200 && envelope.column(of: 100) == 400 && envelope.column(of: 1) == 0)
        let labels = try SVGShapes.read(chart((1...1000).map { 1 / Double($0) }, xKind: .log).svg()).xTickLabels
        #expect(labels == ["1", "10", "100", "1000"])
    }

    @Test("A clipped envelope leaves out what lies outside its x range; an unclipped one piles it at the ends")
    func window() {
        var clipped = Envelope(width: 10, xDomain: 100...200, clipped: true)
        var open = Envelope(width: 10, xDomain: 100...200)
        for x in [1.0, 150, 500] {
            clipped.add(x: x, y: x)
            open.add(x: x, y: x)
        }
        #expect(clipped.finiteRange() == 150...150 && open.finiteRange() == 1...500)
        #expect(clipped.place(of: 99) == nil && clipped.place(of: 200) == 9)
    }
}
