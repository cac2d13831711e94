#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Maps data values onto a pixel range, linearly or by their logarithm.
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
    /// The smallest and largest value on the axis (both positive for a log scale).
    public let domain: ClosedRange<Double>

    /// A scale over `domain`; a domain of one value is widened so that it has a length.
    public init(_ kind: Kind, domain: ClosedRange<Double>) {
        self.kind = kind
        self.domain = Self.widened(domain, kind)
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
        switch kind {
        case .linear:
            return (value - domain.lowerBound) / (domain.upperBound - domain.lowerBound)
        case .log:
            guard value > 0 else { return nil }
            return (log10(value) - log10(domain.lowerBound)) / (log10(domain.upperBound) - log10(domain.lowerBound))
        }
    }

    /// The value at a fraction of the domain: the inverse of `fraction`.
    public func value(atFraction t: Double) -> Double {
        switch kind {
        case .linear: domain.lowerBound + t * (domain.upperBound - domain.lowerBound)
        case .log: pow(10, log10(domain.lowerBound) + t * (log10(domain.upperBound) - log10(domain.lowerBound)))
        }
    }

    private static func widened(_ domain: ClosedRange<Double>, _ kind: Kind) -> ClosedRange<Double> {
        guard domain.lowerBound == domain.upperBound else { return domain }
        let value = domain.lowerBound
        switch kind {
        case .linear: return value == 0 ? -1...1 : (value - abs(value) / 2)...(value + abs(value) / 2)
        case .log: return (value / 10)...(value * 10)
        }
    }
}
