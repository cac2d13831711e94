/// The SVG of a `LineChart`'s series: bands first (translucent, outlined, so that no band hides
/// another), then lines or points, then the marks of values with no place on the chart.
extension LineChart {
    func seriesMarkup(_ y: Scale) -> String {
        var out = ""
        let offsets = pointOffsets
        for (index, line) in series.enumerated() {
            guard let band = line.band else { continue }
            out += line.drawing == .points ? bars(band, y: y, style: SeriesStyle.of(index: index), offset: offsets[index])
                : bandPolygons(band, y: y, style: SeriesStyle.of(index: index))
        }
        for (index, line) in series.enumerated() {
            let style = SeriesStyle.of(index: index)
            out += line.drawing == .points ? dots(line.envelope, y: y, style: style, offset: offsets[index])
                : polylines(line.envelope, y: y, style: style)
            if showsMarkers && line.drawing == .line { out += lineMarkers(line.envelope, y: y, index: index) }
            out += notFiniteMarks(line.counted, colour: style.colour)
        }
        return out
    }

    /// How far each series drawn as points is moved sideways, so that the bars of series checked at
    /// the same steps (a network's layers) stand side by side instead of on one another.
    private var pointOffsets: [Double] {
        let drawn = series.indices.filter { series[$0].drawing == .points }
        var offsets = Array(repeating: 0.0, count: series.count)
        for (rank, index) in drawn.enumerated() { offsets[index] = (Double(rank) - Double(drawn.count - 1) / 2) * 3.5 }
        return offsets
    }

    /// The x of a pixel column's centre.
    private static func x(ofColumn index: Int) -> Double { left + Double(index) + 0.5 }

    /// A column's lowest and highest value as pixel heights, nil where neither can be drawn.
    private static func heights(_ column: Envelope.Column, _ y: Scale) -> (low: Double, high: Double)? {
        let values = [column.low, column.high].compactMap { $0 }.compactMap { y.position($0, from: bottom, to: top) }
        guard let first = values.first, let last = values.last else { return nil }
        return (first, last)
    }

    /// One polyline per stretch of drawable points; each column contributes its lowest and
    /// highest value, so the line passes through every extreme. A stretch of one column (a run
    /// with one finite epoch) is drawn as a dot, which a polyline of one point would not show.
    private func polylines(_ envelope: Envelope, y: Scale, style: SeriesStyle) -> String {
        var out = ""
        var points: [String] = []
        var single: (x: Double, y: Double)?
        var lastY: Double?
        func flush() {
            if points.count == 1, let single {
                out += "<circle class=\"dot\" fill=\"\(style.colour)\" cx=\"\(Self.number(single.x))\" "
                    + "cy=\"\(Self.number(single.y))\" r=\"3\"/>\n"
            } else if !points.isEmpty {
                out += "<polyline class=\"line\" stroke=\"\(style.colour)\"\(style.dashAttribute) "
                    + "points=\"\(points.joined(separator: " "))\"/>\n"
            }
            points = []
            lastY = nil
        }
        for (index, column) in envelope.columns.enumerated() {
            let px = Self.x(ofColumn: index)
            guard let (first, last) = Self.heights(column, y) else {
                // A column without points is skipped; one whose points cannot be drawn (NaN, ±∞, or
                // not positive on a log scale) breaks the line, so no segment bridges the hole.
                if !column.isEmpty { flush() }
                continue
            }
            // Enter the column at the extreme nearer to where the line comes from.
            let ordered = lastY.map { abs($0 - first) <= abs($0 - last) } ?? true ? [first, last] : [last, first]
            for py in (first == last ? [first] : ordered) { points.append("\(Self.number(px)),\(Self.number(py))") }
            single = (px, first)
            lastY = first == last ? first : ordered[1]
        }
        flush()
        return out
    }

    /// One filled polygon per stretch of columns with a band: along the upper envelope's highest
    /// values, back along the lower one's lowest.
    private func bandPolygons(_ band: (lower: Envelope, upper: Envelope), y: Scale, style: SeriesStyle) -> String {
        var out = ""
        var stretch: [(x: Double, top: Double, bottom: Double)] = []
        func flush() {
            // A stretch of one column is widened to a pixel either side, so that it shows.
            if stretch.count == 1, let only = stretch.first {
                stretch = [(only.x - 1, only.top, only.bottom), (only.x + 1, only.top, only.bottom)]
            }
            if !stretch.isEmpty {
                let points = stretch.map { "\(Self.number($0.x)),\(Self.number($0.top))" }
                    + stretch.reversed().map { "\(Self.number($0.x)),\(Self.number($0.bottom))" }
                out += "<polygon class=\"band\" fill=\"\(style.colour)\" stroke=\"\(style.colour)\" points=\""
                    + points.joined(separator: " ") + "\"/>\n"
            }
            stretch = []
        }
        for index in band.upper.columns.indices {
            guard let upper = Self.heights(band.upper.columns[index], y), let lower = Self.heights(band.lower.columns[index], y)
            else {
                if !band.upper.columns[index].isEmpty || !band.lower.columns[index].isEmpty { flush() }
                continue
            }
            // Pixel heights grow downwards: the highest value has the smallest height.
            stretch.append((Self.x(ofColumn: index), min(upper.low, upper.high), max(lower.low, lower.high)))
        }
        flush()
        return out
    }

    /// A sparse series' band: a thin bar per column with a value, from its lowest to its highest.
    private func bars(_ band: (lower: Envelope, upper: Envelope), y: Scale, style: SeriesStyle, offset: Double) -> String {
        var out = ""
        for index in band.upper.columns.indices {
            guard let upper = Self.heights(band.upper.columns[index], y), let lower = Self.heights(band.lower.columns[index], y)
            else { continue }
            let high = min(upper.low, upper.high), low = max(lower.low, lower.high)
            out += "<rect class=\"band\" fill=\"\(style.colour)\" stroke=\"\(style.colour)\" "
                + "x=\"\(Self.number(Self.x(ofColumn: index) + offset - 1.5))\" y=\"\(Self.number(high))\" width=\"3\" "
                + "height=\"\(Self.number(max(low - high, 0.5)))\"/>\n"
        }
        return out
    }

    /// A sparse series' line: a dot at each column's lowest and highest value.
    private func dots(_ envelope: Envelope, y: Scale, style: SeriesStyle, offset: Double) -> String {
        var out = ""
        for (index, column) in envelope.columns.enumerated() {
            guard let (low, high) = Self.heights(column, y) else { continue }
            for py in low == high ? [low] : [low, high] {
                out += "<circle class=\"dot\" fill=\"\(style.colour)\" cx=\"\(Self.number(Self.x(ofColumn: index) + offset))\" "
                    + "cy=\"\(Self.number(py))\" r=\"2.5\"/>\n"
            }
        }
        return out
    }

    /// The series' marker every 62 columns along its line, each series starting a few columns
    /// later than the one before, so that markers of lines lying on one another do not coincide.
    private func lineMarkers(_ envelope: Envelope, y: Scale, index: Int) -> String {
        let style = SeriesStyle.of(index: index)
        var out = ""
        var next = 4 + (index * 7) % 62
        for column in envelope.filledColumns where column >= next {
            guard let (low, _) = Self.heights(envelope.columns[column], y) else { continue }
            out += style.markerPath(x: Self.x(ofColumn: column), y: low)
            next = column + 62
        }
        return out
    }

    /// A small triangle above the plot for each column with NaN or +∞, below it for -∞.
    private func notFiniteMarks(_ envelope: Envelope, colour: String) -> String {
        var out = ""
        for (index, column) in envelope.columns.enumerated() {
            let px = Self.x(ofColumn: index)
            if column.nan > 0 || column.plusInfinity > 0 {
                out += "<path fill=\"\(colour)\" d=\"M\(Self.number(px - 4)) \(Self.number(Self.top - 8))h8l-4 6z\">"
                    + "<title>\(column.nan) NaN, \(column.plusInfinity) +inf</title></path>\n"
            }
            if column.minusInfinity > 0 {
                out += "<path fill=\"\(colour)\" d=\"M\(Self.number(px - 4)) \(Self.number(Self.bottom + 8))h8l-4 -6z\">"
                    + "<title>\(column.minusInfinity) -inf</title></path>\n"
            }
        }
        return out
    }
}
