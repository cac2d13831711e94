import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import Charts

/// Scales, ticks, envelopes and whole charts over every kind of double: the ends of the range,
/// subnormals, one-value ranges and ranges whose width overflows. Any trap here would end the
/// test run, so reaching the expectations at all is half of each test.
@Suite struct ExtremeValueTests {
    /// Doubles at the edges: largest, smallest normal and subnormal, zero of both signs, round ones.
    static let extremes: [Double] = [
        -.greatestFiniteMagnitude, -1e308, -1.7e308 / 3, -1e5, -1, -.leastNormalMagnitude, -subnormal(2),
        -subnormal(1), -0.0, 0, subnormal(1), subnormal(2), subnormal(4), .leastNormalMagnitude, 1e-300,
        1e-6, 0.1, 1, 3, 1e5, 9.2e18, 1e300, 1e308, .greatestFiniteMagnitude,
    ]

    /// The n-th smallest positive double (written so, since a literal such as 5e-324 draws a warning).
    static func subnormal(_ n: Double) -> Double { n * .leastNonzeroMagnitude }

    /// Every ordered pair of extremes (a value with itself included), plus seeded random pairs
    /// spread over all exponents.
    static var domains: [(Double, Double)] {
        var pairs: [(Double, Double)] = []
        for a in extremes { for b in extremes where a <= b { pairs.append((a, b)) } }
        var generator = SystemRandomNumberGenerator.seeded(2026)
        for _ in 0..<400 {
            let a = generator.anyFiniteDouble(), b = generator.anyFiniteDouble()
            pairs.append((min(a, b), max(a, b)))
        }
        return pairs
    }

    @Test func everyDomainGivesAFiniteScaleWithALengthAndAtLeastTwoIncreasingTicks() {
        for (low, high) in Self.domains {
            for kind in [Scale.Kind.linear, .log] {
                let scale = Scale(kind, domain: low...high)
                let (a, b) = (scale.domain.lowerBound, scale.domain.upperBound)
                #expect(a.isFinite && b.isFinite && a < b, "\(kind) \(low)...\(high) gave \(a)...\(b)")
                if kind == .log { #expect(a > 0, "\(low)...\(high)") }
                let ticks = Ticks.values(for: scale)
                #expect(ticks.count >= 2 && ticks.allSatisfy(\.isFinite), "\(kind) \(low)...\(high): \(ticks)")
                #expect(zip(ticks, ticks.dropFirst()).allSatisfy { $0 < $1 }, "\(kind) \(low)...\(high): \(ticks)")
                #expect(ticks.allSatisfy { !Ticks.label($0).isEmpty })
                for t in [-0.04, 0, 0.5, 1, 1.04] {
                    let value = scale.value(atFraction: t)
                    #expect(value.isFinite, "\(kind) \(low)...\(high) at \(t)")
                    if (0...1).contains(t), let back = scale.fraction(value) {
                        #expect(back.isFinite && back >= -1e-6 && back <= 1 + 1e-6, "\(kind) \(low)...\(high) at \(t): \(back)")
                    }
                }
            }
        }
    }

    @Test func theDomainsEndsMapOntoTheAxisEndsEvenWhenTheirDifferenceOverflows() {
        let scale = Scale(.linear, domain: -.greatestFiniteMagnitude...(.greatestFiniteMagnitude))
        #expect(scale.fraction(-.greatestFiniteMagnitude) == 0)
        #expect(scale.fraction(.greatestFiniteMagnitude) == 1)
        #expect(scale.fraction(0) == 0.5)
        #expect(Ticks.values(for: scale).count >= 3)
        let tiny = Scale(.linear, domain: -.leastNonzeroMagnitude...(.leastNonzeroMagnitude))
        #expect(tiny.fraction(0) == 0.5)
    }

    @Test func labelsOfSubnormalAndHugeValuesAreNumbers() {
        #expect(Ticks.label(.leastNonzeroMagnitude) == "4.940656e-324")
        #expect(Ticks.label(Self.subnormal(2024)) == "9.999889e-321")
        #expect(Ticks.label(1e308) == "1e308")
        #expect(Ticks.label(-.greatestFiniteMagnitude) == "-1.797693e308")
    }

    @Test func anEnvelopePlacesAnyXIncludingStepsNearTheLargestInteger() {
        let top = Double(Int64.max)
        var envelope = Envelope(width: 10, xDomain: 1...top)
        for x in [-top, -1e308, 0, 1, top / 2, top, 1e308, .infinity, .nan] { envelope.add(x: x, y: 1) }
        #expect(envelope.columns.first?.high == 1 && envelope.columns.last?.high == 1)
        var wide = Envelope(width: 4, xDomain: -.greatestFiniteMagnitude...(.greatestFiniteMagnitude))
        wide.add(x: 1, y: 2)
        #expect(wide.column(of: 1) == 2 && wide.column(of: .greatestFiniteMagnitude) == 3)
        let point = Envelope(width: 4, xDomain: 5...5)
        #expect(point.column(of: 5) == 0 && point.column(of: 4) == 0 && point.column(of: 6) == 3)
    }

    @Test func chartsOfExtremeSeriesAreWellFormedOnBothKindsOfAxis() throws {
        let series: [[Double]] = [
            [1e308, -1e308, 1e308], [.greatestFiniteMagnitude, -.greatestFiniteMagnitude],
            [Self.subnormal(1), Self.subnormal(2), Self.subnormal(1)], [-Self.subnormal(1), Self.subnormal(1)],
            [-Self.subnormal(1)], [0], [1.7e308], [3, 3, 3], [.nan, .infinity, -.infinity], [Self.subnormal(2024), 1e300],
        ]
        for ys in series {
            for kind in [Scale.Kind.linear, .log] {
                var envelope = Envelope(width: LineChart.plotWidth, xDomain: 1...Double(max(ys.count, 1)))
                for (i, y) in ys.enumerated() { envelope.add(x: Double(i + 1), y: y) }
                var chart = LineChart(title: "t", description: "d", xLabel: "step", yLabel: "loss", yKind: kind,
                                      series: [.init(name: "run", envelope: envelope)])
                chart.references = [(label: "rtol", y: 1e-3)]
                let svg = chart.svg()
                let parser = XMLParser(data: Data(svg.utf8))
                #expect(parser.parse(), "\(kind) \(ys)")
                #expect(!svg.contains("nan") && !svg.contains("inf\""), "\(kind) \(ys)")
            }
        }
    }
}

extension SystemRandomNumberGenerator {
    /// A seeded generator for repeatable property checks (SplitMix64).
    static func seeded(_ seed: UInt64) -> SeededGenerator { SeededGenerator(state: seed) }
}

/// SplitMix64, so that the generated extremes are the same on every run.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A finite double of any sign and exponent, subnormals included, from random bits.
    mutating func anyFiniteDouble() -> Double {
        while true {
            let value = Double(bitPattern: next())
            if value.isFinite { return value }
        }
    }
}
