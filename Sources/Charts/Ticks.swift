#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Round tick values for an axis: 1, 2 or 5 times a power of ten on a linear scale, powers of ten
/// on a log scale.
public enum Ticks {
    /// About `count` round values inside the scale's domain, in increasing order; at least the
    /// domain's two ends where no round value fits (a domain of a few subnormal doubles).
    public static func values(for scale: Scale, count: Int = 5) -> [Double] {
        let values = switch scale.kind {
        case .linear: linear(scale.domain.lowerBound, scale.domain.upperBound, count: max(count, 1))
        case .log: logarithmic(scale.domain)
        }
        return values.count >= 2 ? values : [scale.domain.lowerBound, scale.domain.upperBound]
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
    private static func linear(_ low: Double, _ high: Double, count: Int) -> [Double] {
        let width = high - low
        guard width > 0 else { return [low] }
        if !(width <= 1e300) { return linear(low * 1e-20, high * 1e-20, count: count).map { $0 * 1e20 } }
        // Scaled back, neighbouring ticks a few subnormal doubles apart can round to one: kept once.
        if width < 1e-290 { return distinct(linear(low * 1e20, high * 1e20, count: count).map { $0 / 1e20 }) }
        let (multiple, exponent) = roundStep(for: width, count: count)
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

    private static func logarithmic(_ domain: ClosedRange<Double>) -> [Double] {
        let low = Int(ceil(log10(domain.lowerBound) - 1e-9)), high = Int(floor(log10(domain.upperBound) + 1e-9))
        guard low <= high else { return [] }
        let every = max(1, (high - low + 1 + 5) / 6)  // at most about six labels
        // 10^-324 underflows to zero, which has no place on a log axis.
        return stride(from: low, through: high, by: every).map { value(1, $0) }.filter { $0 > 0 }
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
