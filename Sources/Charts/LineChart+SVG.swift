/// The SVG text of a `LineChart`.
extension LineChart {
    /// The whole SVG document.
    public func svg() -> String {
        let x = xScale, y = yScale
        var out = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(Self.width))" height="\(Int(height))" \
            viewBox="0 0 \(Int(Self.width)) \(Int(height))" role="img" aria-labelledby="t d">
            <title id="t">\(Self.escaped(title))</title>
            <desc id="d">\(Self.escaped(description))</desc>
            <style>
            text { font: 12px sans-serif; fill: #222; } .title { font-size: 15px; font-weight: bold; }
            .axis { stroke: #444; } .grid { stroke: #ddd; } .line { fill: none; stroke-width: 1.5; }
            @media (prefers-color-scheme: dark) { text { fill: #eee; } .axis { stroke: #bbb; } .grid { stroke: #444; } }
            </style>
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
        for (index, line) in series.enumerated() {
            out += polylines(line.envelope, y: y, colour: Self.palette[index % Self.palette.count])
            out += markers(line.envelope, colour: Self.palette[index % Self.palette.count])
        }
        out += legend()
        return out + "</svg>\n"
    }

    private func axes(_ x: Scale, _ y: Scale) -> String {
        var out = ""
        for value in Ticks.values(for: y) {
            guard let py = y.position(value, from: Self.bottom, to: Self.top) else { continue }
            out += "<line class=\"grid\" x1=\"\(Self.number(Self.left))\" y1=\"\(Self.number(py))\" "
                + "x2=\"\(Self.number(Self.right))\" y2=\"\(Self.number(py))\"/>\n"
            out += "<text x=\"\(Self.number(Self.left - 6))\" y=\"\(Self.number(py + 4))\" text-anchor=\"end\">"
                + "\(Ticks.label(value))</text>\n"
        }
        for value in Ticks.values(for: x, count: 6) {
            guard let px = x.position(value, from: Self.left, to: Self.right) else { continue }
            out += "<line class=\"axis\" x1=\"\(Self.number(px))\" y1=\"\(Self.number(Self.bottom))\" "
                + "x2=\"\(Self.number(px))\" y2=\"\(Self.number(Self.bottom + 5))\"/>\n"
            out += "<text x=\"\(Self.number(px))\" y=\"\(Self.number(Self.bottom + 18))\" text-anchor=\"middle\">"
                + "\(Ticks.label(value))</text>\n"
        }
        out += "<path class=\"axis\" fill=\"none\" d=\"M\(Self.number(Self.left)) \(Self.number(Self.top))"
            + "V\(Self.number(Self.bottom))H\(Self.number(Self.right))\"/>\n"
        out += "<text x=\"\(Self.number((Self.left + Self.right) / 2))\" y=\"\(Self.number(Self.bottom + 38))\" "
            + "text-anchor=\"middle\">\(Self.escaped(xLabel))</text>\n"
        out += "<text x=\"16\" y=\"\(Self.number((Self.top + Self.bottom) / 2))\" text-anchor=\"middle\" "
            + "transform=\"rotate(-90 16 \(Self.number((Self.top + Self.bottom) / 2)))\">\(Self.escaped(yLabel))</text>\n"
        return out
    }

    /// One polyline per stretch of drawable points; each column contributes its lowest and
    /// highest value, so the line passes through every extreme.
    private func polylines(_ envelope: Envelope, y: Scale, colour: String) -> String {
        var out = ""
        var points: [String] = []
        var lastY: Double?
        func flush() {
            if !points.isEmpty {
                out += "<polyline class=\"line\" stroke=\"\(colour)\" points=\"\(points.joined(separator: " "))\"/>\n"
            }
            points = []
            lastY = nil
        }
        for (index, column) in envelope.columns.enumerated() {
            let px = Self.left + Double(index) + 0.5
            let values = [column.low, column.high].compactMap { $0 }.compactMap { y.position($0, from: Self.bottom, to: Self.top) }
            guard let first = values.first, let last = values.last else {
                // A column without points is skipped; one whose points cannot be drawn (NaN, ±∞, or
                // not positive on a log scale) breaks the line, so no segment bridges the hole.
                if !column.isEmpty { flush() }
                continue
            }
            // Enter the column at the extreme nearer to where the line comes from.
            let ordered = lastY.map { abs($0 - first) <= abs($0 - last) } ?? true ? [first, last] : [last, first]
            for py in (first == last ? [first] : ordered) { points.append("\(Self.number(px)),\(Self.number(py))") }
            lastY = points.isEmpty ? nil : (first == last ? first : ordered[1])
        }
        flush()
        return out
    }

    /// A small triangle above the plot for each column with NaN or +∞, below it for -∞.
    private func markers(_ envelope: Envelope, colour: String) -> String {
        var out = ""
        for (index, column) in envelope.columns.enumerated() {
            let px = Self.left + Double(index) + 0.5
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

    private func legend() -> String {
        var out = ""
        for (index, line) in series.enumerated() {
            let ly = 398 + 18 * Double(index / 4), lx = Self.left + Double(index % 4) * 155
            let notFinite = line.envelope.nonFiniteCount
            let text = line.name + (notFinite > 0 ? " (\(notFinite) not finite ▲▼)" : "")
            out += "<rect x=\"\(Self.number(lx))\" y=\"\(Self.number(ly - 9))\" width=\"14\" height=\"4\" "
                + "fill=\"\(Self.palette[index % Self.palette.count])\"/>\n"
            out += "<text x=\"\(Self.number(lx + 20))\" y=\"\(Self.number(ly - 4))\">\(Self.escaped(text))</text>\n"
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
