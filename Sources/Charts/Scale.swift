#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Maps data values onto a pixel range, linearly or by their logarithm.
///
/// Every finite double has its place: a domain whose width overflows (-1.7e308...1.7e308) is
/// measured in halves, and subnormal values keep their order; the arithmetic never traps.
public struct Scale: Equatable, Sendable {
    /// How values are spread along the axis.
    public enum Kind: Sendable {
        /// Equal differences, equal distances.
        case linear
        /// Equal ratios, equal distances; only positive values have a place.
        case log
    }

    /// The kind of scale.
    public let kind: Kind
    /// The smallest and largest value on the axis: finite, different, and both positive for a log scale.
    public let domain: ClosedRange<Double>

    /// A scale over `domain`; infinite ends are taken as the largest finite values (the smallest
    /// positive one for the lower end of a log scale), and a domain of one value is widened so
    /// that it has a length.
    public init(_ kind: Kind, domain: ClosedRange<Double>) {
        self.kind = kind
        let low = Self.clamped(domain.lowerBound, kind), high = Self.clamped(domain.upperBound, kind)
        self.domain = low < high ? low...high : Self.widened(low, kind)
    }

    /// Where `value` lies between `start` (the domain's lower end) and `end` pixels; nil for a
    /// value that has no place (NaN, an infinity, or not positive on a log scale).
    public func position(_ value: Double, from start: Double, to end: Double) -> Double? {
        guard let t = fraction(value) else { return nil }
        return start + t * (end - start)
    }

    /// How far along the domain `value` lies, 0 at the lower end and 1 at the upper one.
    public func fraction(_ value: Double) -> Double? {
        guard value.isFinite else { return nil }
        let (low, high) = (domain.lowerBound, domain.upperBound)
        switch kind {
        case .linear:
            let offset = value - low, width = high - low
            if offset.isFinite && width.isFinite { return offset / width }
            return (value / 2 - low / 2) / (high / 2 - low / 2)
        case .log:
            guard value > 0 else { return nil }
            return (log10(value) - log10(low)) / (log10(high) - log10(low))
        }
    }

    /// The value at a fraction of the domain: the inverse of `fraction`, held to finite values
    /// (positive ones on a log scale) for fractions outside 0...1.
    public func value(atFraction t: Double) -> Double {
        let (low, high) = (domain.lowerBound, domain.upperBound)
        switch kind {
        case .linear:
            let width = high - low
            let value = width.isFinite ? low + t * width : 2 * (low / 2 + t * (high / 2 - low / 2))
            return Self.clamped(value, kind)
        case .log:
            return Self.clamped(pow(10, log10(low) + t * (log10(high) - log10(low))), kind)
        }
    }

    /// `value` held inside what a scale of `kind` can place: finite, and positive for a log scale.
    private static func clamped(_ value: Double, _ kind: Kind) -> Double {
        let lowest = kind == .log ? Double.leastNonzeroMagnitude : -Double.greatestFiniteMagnitude
        return value.isNaN ? lowest : min(max(value, lowest), .greatestFiniteMagnitude)
    }

    /// A domain around one value: half its size either side (±1 around 0), or a decade either
    /// side on a log scale; at the ends of the doubles, as much as there is room for.
    private static func widened(_ value: Double, _ kind: Kind) -> ClosedRange<Double> {
        switch kind {
        case .linear:
            guard value != 0 else { return -1...1 }
            var low = clamped(value - abs(value) / 2, kind), high = clamped(value + abs(value) / 2, kind)
            // Half of a subnormal value can round to nothing: take the neighbouring doubles instead.
            if low == value && value > -.greatestFiniteMagnitude { low = value.nextDown }
            if high == value && value < .greatestFiniteMagnitude { high = value.nextUp }
            return low...high
        case .log:
            return clamped(value / 10, kind)...clamped(value * 10, kind)
        }
    }
}
