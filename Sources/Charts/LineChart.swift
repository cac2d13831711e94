/// A line chart of one or more series, rendered as a standalone SVG document: axes with round
/// ticks in data units, a title, a legend, colours from the Okabe–Ito palette (told apart by
/// colour-blind readers), legible on light and dark pages, with `<title>` and `<desc>` for screen
/// readers. The same input gives the same bytes.
public struct LineChart: Sendable {
    /// One line: its name in the legend and its points reduced to pixel columns.
    public struct Series: Sendable {
        /// The legend's text.
        public let name: String
        /// The points, as an envelope of `LineChart.plotWidth` columns.
        public let envelope: Envelope

        /// Creates a series.
        public init(name: String, envelope: Envelope) {
            self.name = name
            self.envelope = envelope
        }
    }

    /// The chart's title.
    public var title: String
    /// A sentence for screen readers.
    public var description: String
    /// The axis labels.
    public var xLabel: String, yLabel: String
    /// How the y axis is scaled.
    public var yKind: Scale.Kind
    /// The lines, drawn in order.
    public var series: [Series]
    /// Horizontal reference lines (a tolerance), each with a label, drawn dashed behind the series.
    public var references: [(label: String, y: Double)] = []

    /// Creates a chart.
    public init(title: String, description: String, xLabel: String, yLabel: String, yKind: Scale.Kind = .linear,
                series: [Series]) {
        self.title = title
        self.description = description
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.yKind = yKind
        self.series = series
    }

    /// The Okabe–Ito colours, in the order series take them.
    public static let palette = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]

    /// The chart's width and its plot area, in pixels; the plot area is `plotWidth` columns wide.
    public static let width = 720.0
    static let left = 80.0, right = 700.0, top = 48.0, bottom = 340.0
    /// How many pixel columns a series' envelope should have.
    public static let plotWidth = Int(right - left)

    /// The chart's height: room for the plot, the x axis and one legend row per four series.
    public var height: Double { 384 + 18 * Double((series.count + 3) / 4) }

    /// The y scale the series need: their finite range (positive values only on a log scale),
    /// with a margin of 4% of it on each side so that no extreme lies on the frame.
    public var yScale: Scale {
        let ranges = series.compactMap { $0.envelope.finiteRange(positiveOnly: yKind == .log) }
        let low = ranges.map(\.lowerBound).min() ?? (yKind == .log ? 1 : 0)
        let high = ranges.map(\.upperBound).max() ?? (yKind == .log ? 10 : 1)
        let marks = references.map(\.y).filter { $0.isFinite && (yKind == .linear || $0 > 0) }
        let fitted = Scale(yKind, domain: min(low, marks.min() ?? low)...max(high, marks.max() ?? high))
        return Scale(yKind, domain: fitted.value(atFraction: -0.04)...fitted.value(atFraction: 1.04))
    }

    /// The x scale: the first series' domain (all series share it).
    public var xScale: Scale {
        Scale(.linear, domain: series.first?.envelope.xDomain ?? 0...1)
    }
}
