/// Where each series' legend entry goes: entries flow left to right below the x axis and wrap to a
/// new row before they would pass the plot's right edge, each as wide as its text is estimated to
/// be drawn (generously, `TextWidth`), so that no entry runs into the next whatever the names.
struct Legend {
    /// One entry: the series' index, its text (cut with `…` if wider than a row), and its box.
    struct Entry: Equatable {
        let index: Int
        let text: String
        let x, y, width: Double
    }

    /// The height of a row of entries.
    static let rowHeight = 18.0
    /// The swatch's width and the gaps after it and after each entry's text.
    static let swatch = 22.0, gap = 6.0, spacing = 18.0
    /// The first row's baseline.
    static let firstRow = 398.0

    /// The entries, in series order.
    let entries: [Entry]

    /// How many rows the entries take.
    var rowCount: Int { Set(entries.map(\.y)).count }

    /// Lays out the legend of `chart`.
    init(chart: LineChart) {
        let (left, right) = (LineChart.left, LineChart.right)
        var entries: [Entry] = []
        var x = left, y = Self.firstRow
        for (index, line) in chart.series.enumerated() {
            let notFinite = line.counted.nonFiniteCount
            let full = line.name + (notFinite > 0 ? " (\(notFinite) not finite ▲▼)" : "")
            let text = TextWidth.fitted(full, width: right - left - Self.swatch - Self.gap)
            let width = Self.swatch + Self.gap + TextWidth.of(text)
            if x > left && x + width > right {
                x = left
                y += Self.rowHeight
            }
            entries.append(Entry(index: index, text: text, x: x, y: y, width: width))
            x += width + Self.spacing
        }
        self.entries = entries
    }
}
