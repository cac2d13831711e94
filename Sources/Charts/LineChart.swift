/// A line chart of one or more series, rendered as a standalone SVG document: axes with at least
/// three round ticks in data units, a title, a legend laid out in rows that never overlap, series
/// told apart by colour, dash and marker (`SeriesStyle`), bands for a spread (a layer's parameters,
/// the runs of a group), a background and text that follow the reader's light or dark scheme, and
/// `<title>` and `<desc>` for screen readers. The same input gives the same bytes.
public struct LineChart: Sendable {
    /// One series: its name in the legend, its line, and optionally a band drawn behind the line.
    public struct Series: Sendable {
        /// How a series' points are joined.
        public enum Drawing: Sendable {
            /// A line through each column's lowest and highest value.
            case line
            /// Each column on its own, as a dot and the band's bar: a band checked every k-th step,
            /// which joined up would zigzag from one check's extremes to the next.
            case points
        }

        /// The legend's text.
        public let name: String
        /// The line, as an envelope of `LineChart.plotWidth` columns.
        public let envelope: Envelope
        /// A band from `lower`'s lowest to `upper`'s highest value in each column (the same envelope
        /// twice for a min–max band), drawn translucent behind the line.
        public var band: (lower: Envelope, upper: Envelope)?
        /// Lines, or points for a band with values only every few columns (a line of one value per
        /// x joins its points whatever their spacing, as a metric logged every tenth epoch should).
        public var drawing: Drawing

        /// Creates a series.
        public init(name: String, envelope: Envelope, band: (lower: Envelope, upper: Envelope)? = nil,
                    drawing: Drawing? = nil) {
            self.name = name
            self.envelope = envelope
            self.band = band
            self.drawing = drawing ?? (band.map { Self.isSparse($0.upper) } == true ? .points : .line)
        }

        /// The envelope whose NaN and infinities are marked: the band's, which holds every value.
        var counted: Envelope { band?.lower ?? envelope }

        /// Whether the filled columns lie further apart than consecutive integers of x would: values
        /// logged only every k-th step, whose line would zigzag from one to the next.
        public static func isSparse(_ envelope: Envelope) -> Bool {
            let filled = envelope.filledColumns
            guard envelope.xKind == .linear, filled.count >= 2 else { return false }
            let gaps = zip(filled, filled.dropFirst()).map { $1 - $0 }.sorted()
            let span = envelope.xDomain.upperBound - envelope.xDomain.lowerBound
            let pixelsPerUnit = Double(envelope.columns.count) / max(span, 1)
            return Double(gaps[gaps.count / 2]) > Swift.max(2.5, 1.5 * pixelsPerUnit)
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
    /// How the x axis is scaled (every envelope must have the same kind); x counts steps or
    /// epochs, so its ticks are whole numbers.
    public var xKind: Scale.Kind = .linear
    /// A y range that holds whatever the values (accuracy: 0 to 1), instead of the values' own.
    public var yDomain: ClosedRange<Double>?
    /// The series, drawn in order (every band first, then every line).
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

    /// The colours series take, in order (see `SeriesStyle`).
    public static var palette: [String] { SeriesStyle.palette }

    /// The chart's width and its plot area, in pixels; the plot area is `plotWidth` columns wide.
    public static let width = 720.0
    static let left = 80.0, right = 700.0, top = 48.0, bottom = 340.0
    /// How many pixel columns a series' envelope should have.
    public static let plotWidth = Int(right - left)

    /// The chart's height: room for the plot, the x axis and the legend's rows.
    public var height: Double { 384 + Legend.rowHeight * Double(max(legend.rowCount, 1)) }

    /// The legend's layout.
    var legend: Legend { Legend(chart: self) }

    /// Markers along the lines: only where colours repeat, so a chart of a few lines stays plain.
    var showsMarkers: Bool { series.count > SeriesStyle.palette.count }

    /// An x domain of whole steps or epochs from `low` to `high` that holds at least three whole
    /// numbers, so that one epoch sits in the middle of ticks 0, 1, 2 rather than alone.
    public static func integerDomain(_ low: Double, _ high: Double) -> ClosedRange<Double> {
        let low = low.isFinite ? low : 1, high = high.isFinite ? Swift.max(high, low) : low
        if high - low >= 2 { return low...high }
        return high == low ? (low - 1)...(high + 1) : low...(low + 2)
    }

    /// The y scale the series need: the fixed `yDomain`, or their finite range (positive values
    /// only on a log scale); with a margin of 4% of it on each side so that no extreme lies on the frame.
    public var yScale: Scale {
        let fitted: Scale
        if let yDomain {
            fitted = Scale(yKind, domain: yDomain)
        } else {
            let envelopes = series.flatMap { [$0.envelope] + ($0.band.map { [$0.lower, $0.upper] } ?? []) }
            let ranges = envelopes.compactMap { $0.finiteRange(positiveOnly: yKind == .log) }
            let low = ranges.map(\.lowerBound).min() ?? (yKind == .log ? 1 : 0)
            let high = ranges.map(\.upperBound).max() ?? (yKind == .log ? 10 : 1)
            let marks = references.map(\.y).filter { $0.isFinite && (yKind == .linear || $0 > 0) }
            fitted = Scale(yKind, domain: Swift.min(low, marks.min() ?? low)...Swift.max(high, marks.max() ?? high))
        }
        return Scale(yKind, domain: fitted.value(atFraction: -0.04)...fitted.value(atFraction: 1.04))
    }

    /// The x scale: the first series' domain (all series share it).
    public var xScale: Scale {
        Scale(xKind, domain: series.first?.envelope.xDomain ?? 0...1)
    }
}
