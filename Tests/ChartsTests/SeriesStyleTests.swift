import Foundation
import Testing
import TestSupport
@testable import Charts

/// Many series told apart; bands that read as bands; legends that never overlap; dark mode.
@Suite struct SeriesStyleTests {
    func envelope(_ ys: [Double], every: Int = 1) -> Envelope {
        var envelope = Envelope(width: LineChart.plotWidth, xDomain: 1...Double(ys.count * every))
        for (i, y) in ys.enumerated() { envelope.add(x: Double(i * every + 1), y: y) }
        return envelope
    }

    func chart(_ count: Int, name: (Int) -> String = { "run \($0)" }) -> LineChart {
        let series = (0..<count).map { index in
            LineChart.Series(name: name(index), envelope: envelope((1...50).map { Double(index) + 1 / Double($0) }))
        }
        return LineChart(title: "t", description: "d", xLabel: "epoch", yLabel: "loss", series: series)
    }

    @Test("Twenty-four series never share both colour and dash, lines and legend alike, and the faint yellow is gone")
    func distinctStyles() throws {
        let shapes = try SVGShapes.read(chart(24).svg())
        let lines = shapes.named("polyline")
        #expect(lines.count == 24)
        let styles = lines.map { "\($0.attributes["stroke"] ?? "") \($0.attributes["stroke-dasharray"] ?? "solid")" }
        #expect(Set(styles).count == 24, "\(styles)")
        let swatches = shapes.named("line", class: "line")
        #expect(Set(swatches.map { "\($0.attributes["stroke"] ?? "") \($0.attributes["stroke-dasharray"] ?? "solid")" }) == Set(styles))
        #expect(!shapes.contains { $0.attributes.values.contains("#F0E442") })
        #expect(shapes.named("path", class: "marker").count > 24, "markers along the lines once colours repeat")
        #expect(try SVGShapes.read(chart(8).svg()).named("path", class: "marker").isEmpty, "a few lines stay plain")
    }

    @Test("Legend entries never overlap and stay inside the chart, however long or wide their names",
          arguments: [2, 11, 24])
    func legendLayout(count: Int) throws {
        let names = ["lr=0.1 seed=2", "WWWWWWWWWWWWWWWWWWWW", "数据集 émigré", String(repeating: "m", count: 200), "a"]
        let lineChart = chart(count) { names[$0 % names.count] + " \($0)" }
        let shapes = try SVGShapes.read(lineChart.svg())
        let texts = shapes.filter { $0.name == "text" && ($0.number("y") ?? 0) >= 390 }
        #expect(texts.count == count)
        let boxes = texts.map { text in
            (x: (text.number("x") ?? 0) - Legend.swatch - Legend.gap, y: text.number("y") ?? 0,
             right: (text.number("x") ?? 0) + TextWidth.of(text.text))
        }
        for (a, b) in zip(boxes, boxes.dropFirst()) where a.y == b.y {
            #expect(a.right <= b.x, "\(a) overlaps \(b)")
        }
        #expect(boxes.allSatisfy { $0.right <= LineChart.right && $0.x >= LineChart.left })
        #expect(boxes.allSatisfy { $0.y + 6 <= lineChart.height }, "every row inside the chart's height")
        #expect(try #require(Double(shapes.first?.attributes["height"] ?? "")) == lineChart.height)
    }

    @Test("The width estimate is generous: wide letters, digits, CJK and symbols all count more than a browser draws")
    func widthEstimate() {
        // Chromium's widths of these strings at 12px sans-serif, measured once (scripts/screenshots' browser).
        for (text, drawn) in [("lr=0.5 seed=5", 73.4), ("WWWWMMMMmmmm", 125.3), ("数据集 émigré ▲▼ …", 95.6),
                              ("batch_size=1024 hidden=16,8 activation=tanh", 245.2)] {
            #expect(TextWidth.of(text) >= drawn * 1.1, "\(text)")
        }
        #expect(TextWidth.fitted(String(repeating: "x", count: 500), width: 100).hasSuffix("…"))
        #expect(TextWidth.of(TextWidth.fitted(String(repeating: "x", count: 500), width: 100)) <= 100)
    }

    @Test("A band is a translucent polygon per stretch, outlined, drawn under every line, with its median line on top")
    func bands() throws {
        // A range widening from ±1 to ±2: each column holds its lowest and highest value.
        var range = envelope((1...100).map { -1 - Double($0) / 100 })
        for i in 1...100 { range.add(x: Double(i), y: 1 + Double(i) / 100) }
        let series = (0..<2).map { index in
            LineChart.Series(name: "layer \(index + 1)", envelope: envelope(Array(repeating: 0.1 * Double(index), count: 100)),
                             band: (range, range))
        }
        let shapes = try SVGShapes.read(LineChart(title: "t", description: "d", xLabel: "epoch", yLabel: "value", series: series).svg())
        let polygons = shapes.named("polygon", class: "band")
        #expect(polygons.count == 2)
        #expect(polygons.allSatisfy { $0.attributes["stroke"] == $0.attributes["fill"] })
        let lastBand = try #require(shapes.lastIndex { $0.name == "polygon" }), firstLine = try #require(shapes.firstIndex { $0.name == "polyline" })
        #expect(lastBand < firstLine, "both bands before either line, so no band covers a line")
        let points = try #require(polygons.first?.points)
        let filled = range.filledColumns.count
        #expect(points.count == 2 * filled, "the top edge left to right, the bottom right to left")
        #expect(zip(points.prefix(filled), points.suffix(filled).reversed()).allSatisfy { $0.x == $1.x && $0.y < $1.y })
        #expect(LineChart.styleSheet.contains(".band { fill-opacity: 0.18;"))
    }

    @Test("Values every 50th step are drawn as dots and bars, side by side per series, not as a zigzag line")
    func sparse() throws {
        let sparse = envelope((0..<40).map { 1e-8 * Double($0 % 7 + 1) }, every: 50)
        #expect(LineChart.Series.isSparse(sparse))
        #expect(!LineChart.Series.isSparse(envelope((0..<40).map(Double.init))), "40 epochs, one each: a line")
        #expect(!LineChart.Series.isSparse(envelope((0..<4000).map(Double.init), every: 50)), "dense enough at this width")
        let series = (0..<2).map { LineChart.Series(name: "layer \($0)", envelope: sparse, band: (sparse, sparse)) }
        let shapes = try SVGShapes.read(LineChart(title: "t", description: "d", xLabel: "step", yLabel: "e", yKind: .log,
                                                  series: series).svg())
        #expect(shapes.named("polyline").isEmpty && shapes.named("polygon").isEmpty)
        let bars = shapes.named("rect", class: "band").filter { $0.number("width") == 3 }
        #expect(bars.count == 80 + 0, "a bar per checked step and series")
        #expect(Set(bars.map { $0.number("x") ?? 0 }).count == 80, "side by side, not on one another")
        #expect(shapes.named("circle", class: "dot").count >= 80)
    }

    @Test("Dark mode changes the background with the text, so text is always readable")
    func darkMode() throws {
        let svg = chart(9).svg()
        let shapes = try SVGShapes.read(svg)
        let background = try #require(shapes.first { $0.name == "rect" })
        #expect(background.classes == ["chart-bg"] && background.attributes["width"] == "720")
        let css = try #require(shapes.first { $0.name == "style" }?.text)
        let parts = css.components(separatedBy: "@media (prefers-color-scheme: dark)")
        #expect(parts.count == 2)
        for scheme in parts {
            let back = try #require(Self.colour(after: ".chart-bg { fill: ", in: scheme))
            let text = try #require(Self.colour(after: "text { font: 12px sans-serif; fill: ", in: scheme)
                ?? Self.colour(after: "text { fill: ", in: scheme))
            #expect(Self.contrast(back, text) >= 7, "\(back) on \(text)")
        }
        #expect(parts[1].contains("[stroke=\"#000000\"] { stroke: #ddd; }"), "the palette's black turns light")
    }

    /// The `#rgb` or `#rrggbb` colour right after `prefix`.
    static func colour(after prefix: String, in css: String) -> String? {
        guard let range = css.range(of: prefix) else { return nil }
        return String(css[range.upperBound...].prefix { $0 != ";" })
    }

    /// WCAG's contrast ratio of two colours.
    static func contrast(_ a: String, _ b: String) -> Double {
        func luminance(_ hex: String) -> Double {
            var digits = Array(hex.dropFirst())
            if digits.count == 3 { digits = digits.flatMap { [$0, $0] } }
            let channels = stride(from: 0, to: 6, by: 2).map { Double(Int(String(digits[$0...$0 + 1]), radix: 16) ?? 0) / 255 }
            let linear = channels.map { $0 <= 0.03928 ? $0 / 12.92 : Foundation.pow(($0 + 0.055) / 1.055, 2.4) }
            return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
        }
        let (x, y) = (luminance(a), luminance(b))
        return (max(x, y) + 0.05) / (min(x, y) + 0.05)
    }
}
