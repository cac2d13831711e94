/// How one series is told apart from the others: a colour, a dash pattern and a marker shape.
/// Colours repeat every 8 series; each repetition changes the dash and the marker, so the first
/// 32 series of a chart never share both colour and dash.
public struct SeriesStyle: Equatable, Sendable {
    /// A marker drawn along a line and in its legend swatch.
    public enum Marker: Sendable, CaseIterable {
        case circle, square, triangle, diamond
    }

    /// The stroke and fill colour, `#RRGGBB`.
    public let colour: String
    /// The SVG `stroke-dasharray`, nil for a solid line.
    public let dash: String?
    /// The marker shape.
    public let marker: Marker

    /// The Okabe–Ito colours (told apart by colour-blind readers), with its yellow, faint on white,
    /// replaced by a dark gold; black turns light grey on a dark background (see `LineChart.style`).
    public static let palette = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#9A7D0A", "#000000"]
    /// The dash patterns, one per round of the palette: solid, dashed, dotted, dash-dot.
    public static let dashes: [String?] = [nil, "7 3", "2 2.5", "9 3 2 3"]

    /// The style of the series at `index` (from 0).
    public static func of(index: Int) -> SeriesStyle {
        let round = max(index, 0) / palette.count
        return SeriesStyle(colour: palette[max(index, 0) % palette.count], dash: dashes[round % dashes.count],
                           marker: Marker.allCases[round % Marker.allCases.count])
    }

    /// ` stroke-dasharray="…"`, or nothing for a solid line.
    var dashAttribute: String { dash.map { " stroke-dasharray=\"\($0)\"" } ?? "" }

    /// The marker centred at (x, y), filled with the series' colour.
    func markerPath(x: Double, y: Double, size: Double = 3.5) -> String {
        let n = LineChart.number
        let d = switch marker {
        case .circle:
            "M\(n(x - size)) \(n(y))a\(n(size)) \(n(size)) 0 1 0 \(n(2 * size)) 0a\(n(size)) \(n(size)) 0 1 0 \(n(-2 * size)) 0z"
        case .square: "M\(n(x - size)) \(n(y - size))h\(n(2 * size))v\(n(2 * size))h\(n(-2 * size))z"
        case .triangle: "M\(n(x)) \(n(y - size - 0.5))l\(n(size + 0.5)) \(n(2 * size))h\(n(-2 * size - 1))z"
        case .diamond: "M\(n(x)) \(n(y - size - 0.5))l\(n(size + 0.5)) \(n(size + 0.5))l\(n(-size - 0.5)) \(n(size + 0.5))l\(n(-size - 0.5)) \(n(-size - 0.5))z"
        }
        return "<path class=\"marker\" fill=\"\(colour)\" d=\"\(d)\"/>\n"
    }
}
