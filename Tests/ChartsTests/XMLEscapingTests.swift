import Foundation
import TestSupport
import Testing
@testable import Charts

/// The XML rule (`LineChart.escaped`) on the corpus of hostile strings, in every place a chart shows
/// text: the SVG always parses as XML and each text reads back as the rule says.
@Suite struct XMLEscapingTests {
    @Test("Every string of the corpus, as title, labels and series name, gives SVG that parses and reads back by the XML rule")
    func hostileTextInEveryPlaceOfAChart() throws {
        for entry in HostileStrings.texts {
            var envelope = Envelope(width: LineChart.plotWidth, xDomain: 1...3)
            for x in 1...3 { envelope.add(x: Double(x), y: 1 / Double(x)) }
            var chart = LineChart(title: entry.text, description: entry.text, xLabel: entry.text, yLabel: entry.text,
                                  series: [.init(name: entry.text, envelope: envelope)])
            chart.references = [(label: entry.text, y: 0.5)]
            let elements = try XMLElements.read(chart.svg())
            let expected = XMLElements.expectedText(entry.text)
            #expect(elements.first { $0.name == "title" }?.text == expected, "\(entry.label)")
            #expect(elements.first { $0.name == "desc" }?.text == expected, "\(entry.label)")
            // The chart's title, the reference's label and both axes' labels; the legend, cut to its row.
            let legend = XMLElements.expectedText(TextWidth.fitted(entry.text, width: LineChart.right - LineChart.left - 28))
            #expect(elements.last { $0.name == "text" }?.text == legend, "\(entry.label)")
            #expect(elements.filter { $0.name == "text" && $0.text == expected }.count == (legend == expected ? 5 : 4),
                    "\(entry.label)")
            #expect(elements.allSatisfy { ["svg", "title", "desc", "style", "text", "line", "path", "polyline", "rect", "circle", "polygon"].contains($0.name) },
                    "\(entry.label)")
        }
    }

    @Test("The XML rule writes entities for markup and U+FFFD for what XML 1.0 forbids or discourages")
    func theRuleItself() {
        #expect(LineChart.escaped("<a href=\"x\">'&'</a>") == "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;")
        #expect(LineChart.escaped("a\tb\nc\rd") == "a b c d")
        #expect(LineChart.escaped("\u{0}\u{1B}\u{7F}\u{85}\u{FFFE}\u{FFFF}") == String(repeating: "\u{FFFD}", count: 6))
        #expect(LineChart.escaped("é\u{202E}✓\u{1F600}") == "é\u{202E}✓\u{1F600}")
    }
}
