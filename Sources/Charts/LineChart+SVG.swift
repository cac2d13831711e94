/// The SVG text of a `LineChart`: the document, its axes and its legend.
extension LineChart {
    /// The style sheet: the light scheme, and the dark one when the reader's system asks for it
    /// (background, text, axes and the palette's black all change together, so text never turns
    /// light on a light background).
    static let styleSheet = """
        <style>
        .chart-bg { fill: #fff; } text { font: 12px sans-serif; fill: #222; } .title { font-size: 15px; font-weight: bold; }
        .axis { stroke: #444; } .grid { stroke: #ddd; } .line { fill: none; stroke-width: 1.5; }
        .band { fill-opacity: 0.18; stroke-opacity: 0.6; stroke-width: 0.8; }
        @media (prefers-color-scheme: dark) {
        .chart-bg { fill: #1b1b1f; } text { fill: #eee; } .axis { stroke: #bbb; } .grid { stroke: #444; }
        [stroke="#000000"] { stroke: #ddd; } [fill="#000000"] { fill: #ddd; }
        }
        </style>
        """

    /// The whole SVG document; `idPrefix` keeps the ids of its title and description apart from
    /// those of the other charts of a page that holds several.
    public func svg(idPrefix: String = "") -> String {
        let x = xScale, y = yScale
        let (width, height) = (Int(Self.width), Int(height))
        var out = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(width)" height="\(height)" \
            viewBox="0 0 \(width) \(height)" role="img" aria-labelledby="\(idPrefix)t \(idPrefix)d">
            <title id="\(idPrefix)t">\(Self.escaped(title))</title>
            <desc id="\(idPrefix)d">\(Self.escaped(description))</desc>
            \(Self.styleSheet)
            <rect class="chart-bg" width="\(width)" height="\(height)"/>
            <text class="title" x="\(Self.number(Self.left))" y="24">\(Self.escaped(title))</text>

            """
        out += axes(x, y)
        for reference in references {
            guard let py = y.position(reference.y, from: Self.bottom, to: Self.top) else { continue }
            out += "<line class=\"axis\" stroke-dasharray=\"6 4\" x1=\"\(Self.number(Self.left))\" y1=\"\(Self.number(py))\" "
                + "x2=\"\(Self.number(Self.right))\" y2=\"\(Self.number(py))\"/>\n"
            out += "<text x=\"\(Self.number(Self.right - 4))\" y=\"\(Self.number(py - 4))\" text-anchor=\"end\">"
                + "\(Self.escaped(reference.label))</text>\n"
        }
        out += seriesMarkup(y)
        out += legendMarkup()
        return out + "</svg>\n"
    }

    private func axes(_ x: Scale, _ y: Scale) -> String {
        var out = ""
        let yTicks = Ticks.values(for: y)
        for (value, label) in zip(yTicks, Ticks.labels(yTicks)) {
            guard let py = y.position(value, from: Self.bottom, to: Self.top) else { continue }
            out += "<line class=\"grid\" x1=\"\(Self.number(Self.left))\" y1=\"\(Self.number(py))\" "
                + "x2=\"\(Self.number(Self.right))\" y2=\"\(Self.number(py))\"/>\n"
            out += "<text x=\"\(Self.number(Self.left - 6))\" y=\"\(Self.number(py + 4))\" text-anchor=\"end\">\(label)</text>\n"
        }
        // On a log axis whose labels skip decades, an unlabelled mark at every decade between them.
        for value in Ticks.decades(in: y) where !yTicks.contains(value) {
            guard let py = y.position(value, from: Self.bottom, to: Self.top) else { continue }
            out += "<line class=\"axis\" x1=\"\(Self.number(Self.left - 4))\" y1=\"\(Self.number(py))\" "
                + "x2=\"\(Self.number(Self.left))\" y2=\"\(Self.number(py))\"/>\n"
        }
        let xTicks = Ticks.values(for: x, count: 6, integers: true)
        for (value, label) in zip(xTicks, Ticks.labels(xTicks, integers: true)) {
            guard let px = x.position(value, from: Self.left, to: Self.right) else { continue }
            out += "<line class=\"axis\" x1=\"\(Self.number(px))\" y1=\"\(Self.number(Self.bottom))\" "
                + "x2=\"\(Self.number(px))\" y2=\"\(Self.number(Self.bottom + 5))\"/>\n"
            out += "<text x=\"\(Self.number(px))\" y=\"\(Self.number(Self.bottom + 18))\" text-anchor=\"middle\">\(label)</text>\n"
        }
        out += "<path class=\"axis\" fill=\"none\" d=\"M\(Self.number(Self.left)) \(Self.number(Self.top))"
            + "V\(Self.number(Self.bottom))H\(Self.number(Self.right))\"/>\n"
        out += "<text x=\"\(Self.number((Self.left + Self.right) / 2))\" y=\"\(Self.number(Self.bottom + 38))\" "
            + "text-anchor=\"middle\">\(Self.escaped(xLabel))</text>\n"
        out += "<text x=\"16\" y=\"\(Self.number((Self.top + Self.bottom) / 2))\" text-anchor=\"middle\" "
            + "transform=\"rotate(-90 16 \(Self.number((Self.top + Self.bottom) / 2)))\">\(Self.escaped(yLabel))</text>\n"
        return out
    }

    /// Each entry: its swatch (the line's colour and dash, the band behind it, the marker) and text.
    private func legendMarkup() -> String {
        var out = ""
        for entry in legend.entries {
            let line = series[entry.index], style = SeriesStyle.of(index: entry.index)
            let (x, y) = (entry.x, entry.y - 8)
            if line.band != nil {
                out += "<rect class=\"band\" fill=\"\(style.colour)\" stroke=\"\(style.colour)\" x=\"\(Self.number(x))\" "
                    + "y=\"\(Self.number(y - 5))\" width=\"\(Self.number(Legend.swatch))\" height=\"10\"/>\n"
            }
            out += "<line class=\"line\" stroke=\"\(style.colour)\"\(style.dashAttribute) x1=\"\(Self.number(x))\" "
                + "y1=\"\(Self.number(y))\" x2=\"\(Self.number(x + Legend.swatch))\" y2=\"\(Self.number(y))\"/>\n"
            if showsMarkers { out += style.markerPath(x: x + Legend.swatch / 2, y: y) }
            out += "<text x=\"\(Self.number(x + Legend.swatch + Legend.gap))\" y=\"\(Self.number(entry.y - 4))\">"
                + "\(Self.escaped(entry.text))</text>\n"
        }
        return out
    }

    /// A coordinate with one decimal, the same text on every machine; held to ±10^7 pixels (far
    /// off the chart) so that no value, however wild, fails to convert.
    static func number(_ value: Double) -> String {
        let tenths = Int((min(max(value.isNaN ? 0 : value, -1e7), 1e7) * 10).rounded())
        let sign = tenths < 0 ? "-" : ""
        return "\(sign)\(abs(tenths) / 10).\(abs(tenths) % 10)"
    }

    /// XML's (and the HTML page's) escaping rule: `&`, `<`, `>`, `"` and `'` become entities; tab, line
    /// feed and carriage return a space; the characters XML 1.0 forbids or discourages (the other C0
    /// controls, DEL, C1 controls, noncharacters such as U+FFFE and U+FFFF) become U+FFFD.
    public static func escaped(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text.unicodeScalars {
            let value = character.value
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\t", "\n", "\r": out += " "
            case _ where value < 0x20 || (0x7F...0x9F).contains(value) || (0xFDD0...0xFDEF).contains(value)
                || value & 0xFFFE == 0xFFFE:
                out += "\u{FFFD}"
            default: out.unicodeScalars.append(character)
            }
        }
        return out
    }
}
