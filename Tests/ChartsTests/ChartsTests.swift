import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import Charts

@Suite struct ScaleAndTickTests {
    @Test func linearTicksAreRoundValuesInsideTheDomain() {
        #expect(Ticks.values(for: Scale(.linear, domain: 0...1)) == [0, 0.2, 0.4, 0.6, 0.8, 1])
        #expect(Ticks.values(for: Scale(.linear, domain: -3...7)) == [-2, 0, 2, 4, 6])
        #expect(Ticks.values(for: Scale(.linear, domain: 0.1...0.3)) == [0.1, 0.15, 0.2, 0.25, 0.3])
        #expect(Ticks.values(for: Scale(.linear, domain: 1...2_000_000), count: 4) == [500_000, 1_000_000, 1_500_000, 2_000_000])
    }

    @Test func logTicksArePowersOfTenAndPlaceOnlyPositiveValues() {
        let scale = Scale(.log, domain: 1e-12...1e-3)
        #expect(Ticks.values(for: scale) == [1e-12, 1e-10, 1e-8, 1e-6, 1e-4])
        #expect(scale.fraction(1e-12) == 0 && scale.fraction(1e-3) == 1)
        #expect(scale.fraction(0) == nil && scale.fraction(-1) == nil && scale.fraction(.nan) == nil)
        #expect(Ticks.label(1e-6) == "1e-6" && Ticks.label(0.25) == "0.25" && Ticks.label(1000) == "1000")
    }

    @Test func aSinglePointOrAConstantSeriesGetsADomainWithALength() {
        #expect(Scale(.linear, domain: 5...5).domain == 2.5...7.5)
        #expect(Scale(.linear, domain: 0...0).domain == -1...1)
        #expect(Scale(.log, domain: 1e-3...1e-3).domain == 1e-4...1e-2)
        #expect(Scale(.linear, domain: -4...(-2)).position(-3, from: 0, to: 100) == 50)
    }
}

@Suite struct EnvelopeTests {
    @Test func everySpikeSurvivesTheReductionToPixelColumns() {
        var envelope = Envelope(width: 10, xDomain: 0...1_000_000)
        for step in 0...1_000_000 {
            envelope.add(x: Double(step), y: step == 123_457 ? 99 : Double(step % 7))
        }
        #expect(envelope.columns[1].high == 99)
        #expect(envelope.columns[1].low == 0)
        #expect(envelope.columns.allSatisfy { $0.low == 0 && ($0.high ?? 0) >= 6 })
        #expect(envelope.finiteRange() == 0...99)
    }

    @Test func nanAndInfinitiesAreCountedNotDropped() {
        var envelope = Envelope(width: 4, xDomain: 0...3)
        envelope.add(x: 0, y: .nan)
        envelope.add(x: 1, y: .infinity)
        envelope.add(x: 2, y: -.infinity)
        envelope.add(x: 3, y: -2.5)
        #expect(envelope.columns.map(\.nan) == [1, 0, 0, 0])
        #expect(envelope.columns[1].plusInfinity == 1 && envelope.columns[2].minusInfinity == 1)
        #expect(envelope.nonFiniteCount == 3)
        #expect(envelope.finiteRange() == -2.5...(-2.5))
        #expect(envelope.finiteRange(positiveOnly: true) == nil)
    }
}

@Suite struct LineChartTests {
    func chart(_ values: [[Double]], kind: Scale.Kind = .linear) -> LineChart {
        let series = values.enumerated().map { index, ys in
            var envelope = Envelope(width: LineChart.plotWidth, xDomain: 1...Double(ys.count))
            for (i, y) in ys.enumerated() { envelope.add(x: Double(i + 1), y: y) }
            return LineChart.Series(name: "run <\(index + 1)> & co", envelope: envelope)
        }
        return LineChart(title: "Loss per epoch", description: "The mean loss of each epoch.", xLabel: "epoch",
                         yLabel: "mean loss", yKind: kind, series: series)
    }

    @Test func theSameInputGivesTheSameBytes() {
        let losses = (1...500).map { 1 / Double($0) }
        #expect(chart([losses]).svg() == chart([losses]).svg())
    }

    @Test func theSVGIsWellFormedXMLWithATitleADescriptionAndALegend() throws {
        let svg = chart([[0.7, 0.5, .nan, 0.2], [0.6, 0.4, 0.3, 0.1]]).svg()
        let parser = XMLParser(data: Data(svg.utf8))
        #expect(parser.parse(), "\(parser.parserError.map { "\($0)" } ?? "")")
        #expect(svg.contains("<title id=\"t\">Loss per epoch</title>"))
        #expect(svg.contains("run &lt;1&gt; &amp; co (1 not finite ▲▼)"))
        #expect(svg.contains("stroke=\"#0072B2\"") && svg.contains("stroke=\"#E69F00\""))
        #expect(svg.contains("prefers-color-scheme: dark"))
    }

    @Test func polylinePointsMapBackToTheValuesWithinHalfAPixel() throws {
        let values = [0.9, 0.5, 0.25, 0.125, 0.0625]
        let lineChart = chart([values])
        let svg = lineChart.svg()
        let points = try #require(svg.split(separator: "points=\"").dropFirst().first?.split(separator: "\"").first)
        let ys = points.split(separator: " ").compactMap { Double($0.split(separator: ",")[1]) }
        let scale = lineChart.yScale
        for (value, y) in zip(values, ys) {
            let expected = try #require(scale.position(value, from: 340, to: 48))
            #expect(abs(expected - y) <= 0.5, "\(value): \(y) vs \(expected)")
        }
    }

    @Test func aLogScaleLeavesOutWhatIsNotPositiveAndBreaksTheLineThere() {
        let svg = chart([[1e-3, 1e-6, 0, 1e-9, 1e-10]], kind: .log).svg()
        #expect(svg.components(separatedBy: "<polyline").count - 1 == 2)
        #expect(svg.contains(">1e-10<") || svg.contains(">1e-9<"))
    }
}
