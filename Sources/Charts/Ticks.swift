#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Round tick values for an axis: 1, 2 or 5 times a power of ten on a linear scale, powers of ten
/// on a log scale.
public enum Ticks {
    /// About `count` round values inside the scale's domain, in increasing order.
    public static func values(for scale: Scale, count: Int = 5) -> [Double] {
        switch scale.kind {
        case .linear: linear(scale.domain, count: count)
        case .log: logarithmic(scale.domain)
        }
    }

    /// The spacing of 1, 2 or 5 times a power of ten closest to range / count.
    public static func step(for range: Double, count: Int) -> Double {
        let raw = range / Double(max(count, 1))
        let power = pow(10, floor(log10(raw)))
        let multiple = [1.0, 2, 5, 10].first { raw <= $0 * power * 1.5 } ?? 10
        return multiple * power
    }

    private static func linear(_ domain: ClosedRange<Double>, count: Int) -> [Double] {
        let step = step(for: domain.upperBound - domain.lowerBound, count: count)
        var values: [Double] = []
        var index = ceil(domain.lowerBound / step)
        while index * step <= domain.upperBound + step * 1e-9 {
            // Computed from the integer index, so 0.1 + 0.2 never shows as 0.30000000000000004.
            values.append((index * step * 1e12).rounded() / 1e12)
            index += 1
        }
        return values
    }

    private static func logarithmic(_ domain: ClosedRange<Double>) -> [Double] {
        let low = Int(ceil(log10(domain.lowerBound) - 1e-9)), high = Int(floor(log10(domain.upperBound) + 1e-9))
        guard low <= high else { return [domain.lowerBound, domain.upperBound] }
        let every = max(1, (high - low + 1 + 5) / 6)  // at most about six labels
        return stride(from: low, through: high, by: every).map { pow(10, Double($0)) }
    }

    /// A tick's label: short and exact for round values (`0.2`, `1e-06`, `1000`).
    public static func label(_ value: Double) -> String {
        if value == 0 { return "0" }
        let magnitude = abs(value)
        if magnitude >= 1e5 || magnitude < 1e-3 {
            let exponent = Int(floor(log10(magnitude)))
            let mantissa = value / pow(10, Double(exponent))
            let rounded = (mantissa * 1e6).rounded() / 1e6
            return (rounded == rounded.rounded() ? "\(Int(rounded))" : "\(rounded)") + "e\(exponent)"
        }
        let rounded = (value * 1e9).rounded() / 1e9
        return rounded == rounded.rounded() ? "\(Int(rounded))" : "\(rounded)"
    }
}
