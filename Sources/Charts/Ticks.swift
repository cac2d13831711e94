#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Round tick values for an axis: 1, 2 or 5 times a power of ten on a linear scale, powers of ten
/// on a log scale (with 2 and 5 between them, or linear steps, where the domain spans less than
/// three decades). At least three ticks on every domain.
public enum Ticks {
    /// The fewest ticks an axis gets.
    public static let minimumCount = 3

    /// About `count` round values inside the scale's domain, in increasing order, at least three;
    /// with `integers` (an axis of steps or epochs) whole numbers only. Where no three round values
    /// fit (a domain of a few subnormal doubles), its two ends and its middle.
    public static func values(for scale: Scale, count: Int = 5, integers: Bool = false) -> [Double] {
        let (low, high) = (scale.domain.lowerBound, scale.domain.upperBound)
        var values: [Double] = []
        switch scale.kind {
        case .linear:
            // Finer steps until three fit: a domain just over one round step holds only two.
            for divisions in [count, 2 * count, 4 * count] where values.count < minimumCount {
                values = linear(low, high, count: max(divisions, 1), integers: integers)
            }
        case .log:
            values = logarithmic(scale.domain)
            if values.count < minimumCount { values = logarithmicWithSteps(scale.domain) }
            if values.count < minimumCount {
                values = linear(low, high, count: max(count, 1), integers: integers).filter { $0 > 0 }
            }
        }
        if values.count >= minimumCount { return values }
        let ends = distinct([low, scale.value(atFraction: 0.5), high])
        return ends.count >= 2 ? ends : [low, high]
    }

    /// The round spacing closest to range / count, as a multiple (1, 2, 5 or 10) of 10^exponent.
    private static func roundStep(for range: Double, count: Int) -> (multiple: Double, exponent: Int) {
        let raw = range / Double(max(count, 1))
        let exponent = Int(floor(log10(raw)))
        let power = value(1, exponent)
        let multiple = [1.0, 2, 5, 10].first { raw <= $0 * power * 1.5 } ?? 10
        return (multiple, exponent)
    }

    /// `units` × 10^exponent, divided by an exact power of ten for negative exponents so that
    /// 3 × 10^-1 is the double 0.3 (not 0.30000000000000004).
    private static func value(_ units: Double, _ exponent: Int) -> Double {
        exponent >= 0 ? units * pow(10, Double(exponent)) : units / pow(10, Double(-exponent))
    }

    /// A linear domain's ticks. A domain too wide or too narrow for a power of ten to be finite
    /// is scaled by 10^±20 until it fits, so no step overflows or vanishes.
    private static func linear(_ low: Double, _ high: Double, count: Int, integers: Bool) -> [Double] {
        let width = high - low
        guard width > 0 else { return [low] }
        if !(width <= 1e300) {
            return linear(low * 1e-20, high * 1e-20, count: count, integers: false).map { $0 * 1e20 }
        }
        // Scaled back, neighbouring ticks a few subnormal doubles apart can round to one: kept once.
        if width < 1e-290 { return distinct(linear(low * 1e20, high * 1e20, count: count, integers: false).map { $0 / 1e20 }) }
        var (multiple, exponent) = roundStep(for: width, count: count)
        if integers && exponent < 0 { (multiple, exponent) = (1, 0) }
        let unit = value(1, exponent)
        // Counted in whole steps, with a little slack so that an end that is itself round counts.
        let first = ceil(low / unit / multiple - 1e-9), last = floor(high / unit / multiple + 1e-9)
        guard first <= last, last - first <= 100 else { return [] }
        return stride(from: first, through: last, by: 1).map { value($0 * multiple, exponent) }
    }

    /// The values in order with repeats left out, and -0 as 0.
    private static func distinct(_ values: [Double]) -> [Double] {
        var kept: [Double] = []
        for value in values where kept.last.map({ value > $0 }) ?? true { kept.append(value + 0) }
        return kept
    }

    /// The powers of ten inside the domain, every one or (over more than six decades) every k-th.
    private static func logarithmic(_ domain: ClosedRange<Double>) -> [Double] {
        let low = Int(ceil(log10(domain.lowerBound) - 1e-9)), high = Int(floor(log10(domain.upperBound) + 1e-9))
        guard low <= high else { return [] }
        let every = max(1, (high - low + 1 + 5) / 6)  // at most about six labels
        // 10^-324 underflows to zero, which has no place on a log axis.
        return stride(from: low, through: high, by: every).map { value(1, $0) }.filter { $0 > 0 }
    }

    /// Every power of ten inside a log scale's domain, for the unlabelled marks between labelled
    /// ones; none on a linear scale or over more than 60 decades (the marks would merge).
    public static func decades(in scale: Scale) -> [Double] {
        guard scale.kind == .log else { return [] }
        let low = Int(ceil(log10(scale.domain.lowerBound) - 1e-9)), high = Int(floor(log10(scale.domain.upperBound) + 1e-9))
        guard low <= high, high - low <= 60 else { return [] }
        return (low...high).map { value(1, $0) }.filter { $0 > 0 }
    }

    /// 1, 2 and 5 times each power of ten inside a domain of less than three decades.
    private static func logarithmicWithSteps(_ domain: ClosedRange<Double>) -> [Double] {
        let low = Int(floor(log10(domain.lowerBound))), high = Int(ceil(log10(domain.upperBound)))
        guard high - low <= 4 else { return [] }
        return (low...high).flatMap { exponent in [1.0, 2, 5].map { value($0, exponent) } }
            .filter { domain.contains($0) && $0 > 0 }
    }

    /// The labels of `values`, all different: `label` where that tells them apart, else each
    /// value's shortest exact form (two doubles never share it); whole numbers written out on an
    /// axis of steps or epochs (`integers`: 1200000, not 1.2e6).
    public static func labels(_ values: [Double], integers: Bool = false) -> [String] {
        if integers, values.allSatisfy({ $0 == $0.rounded() && abs($0) < 1e15 }) { return values.map { "\(Int($0))" } }
        let short = values.map(label)
        if Set(short).count == short.count { return short }
        return values.map(exact)
    }

    /// The shortest text that reads back as `value`, without a trailing `.0`.
    static func exact(_ value: Double) -> String {
        let text = "\(value + 0)"
        return text.hasSuffix(".0") ? String(text.dropLast(2)) : text
    }

    /// A tick's label: short and exact for round values (`0.2`, `1e-6`, `1000`), six significant
    /// digits for others.
    public static func label(_ value: Double) -> String {
        guard value.isFinite else { return value.isNaN ? "nan" : value < 0 ? "-inf" : "inf" }
        if value == 0 { return "0" }
        let magnitude = abs(value)
        if magnitude >= 1e5 || magnitude < 1e-3 {
            let exponent = Int(floor(log10(magnitude)))
            // Divided in two steps: 10^-324 itself underflows to zero.
            let mantissa = exponent < -300 ? value * 1e300 / pow(10, Double(exponent + 300)) : value / pow(10, Double(exponent))
            return short(mantissa) + "e\(exponent)"
        }
        return short((value * 1e9).rounded() / 1e9)
    }

    /// A number of magnitude below 1e5 with at most six decimals, without a trailing `.0`.
    private static func short(_ value: Double) -> String {
        let rounded = (value * 1e6).rounded() / 1e6
        return rounded == rounded.rounded() ? "\(Int(rounded))" : "\(rounded)"
    }
}
