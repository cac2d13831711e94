import Charts
import HTMLPages

/// A one-line chart's envelope as the live script reads it: its x and y domains and each pixel
/// column's lowest and highest finite value with its count of values that had no place (NaN, ±∞),
/// `[low, high, notFinite]`, `0` for an empty column. The same text in the run page's data
/// attributes and in the series route's JSON.
struct ChartData {
    let chart: LineChart

    /// The chart's only series' columns as a JSON array.
    var columnsJSON: String {
        guard let envelope = chart.series.first?.envelope else { return "[]" }
        return "[" + envelope.columns.map { column in
            guard !column.isEmpty else { return "0" }
            let bad = column.nan + column.plusInfinity + column.minusInfinity
            return "[\(Self.json(column.low)),\(Self.json(column.high)),\(bad)]"
        }.joined(separator: ",") + "]"
    }

    /// The x domain the columns divide, `[low, high]`.
    var xDomainJSON: String {
        let domain = chart.xScale.domain
        return "[\(Self.json(domain.lowerBound)),\(Self.json(domain.upperBound))]"
    }

    /// The y domain drawn (with its margins), `[low, high]`.
    var yDomainJSON: String {
        let domain = chart.yScale.domain
        return "[\(Self.json(domain.lowerBound)),\(Self.json(domain.upperBound))]"
    }

    /// Whether the y domain is fixed (accuracy: 0 to 1) rather than fitted to the values.
    var yFixed: Bool { chart.yDomain != nil }

    /// A finite value in the shortest text that reads back as the same double (JavaScript's
    /// `JSON.parse` included); nil as `null`.
    static func json(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "null" }
        return "\(value)"
    }

    /// The data attributes of the chart's box on the run page: `from` and `to` bound what a live
    /// point may add when the chart shows a range (nil: it grows with the run); `nullIsNaN` says
    /// whether an empty value of a live row counts as NaN or is left out.
    func attributes(kind: ChartKind, window: ClosedRange<Int64>?, nullIsNaN: Bool) -> String {
        var text = " data-chart=\"\(LineChart.escaped(kind.name))\" data-x=\"\(xDomainJSON)\" data-y=\"\(yDomainJSON)\""
            + " data-y-fixed=\"\(yFixed ? 1 : 0)\" data-null-is-nan=\"\(nullIsNaN ? 1 : 0)\" data-columns=\"\(columnsJSON)\""
        if let window { text += " data-from=\"\(window.lowerBound)\" data-to=\"\(window.upperBound)\"" }
        return text
    }
}
