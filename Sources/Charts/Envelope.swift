#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A series reduced to a fixed number of pixel columns: for each column the smallest and largest
/// finite value that fell into it, and how many values had no place on the chart (NaN, ±∞), so
/// that every spike of a long run is still drawn and no NaN disappears unseen. Memory does not grow
/// with the series.
public struct Envelope: Sendable {
    /// One pixel column's values.
    public struct Column: Equatable, Sendable {
        /// The smallest and largest finite value, nil when none was finite.
        public var low, high: Double?
        /// How many values were NaN, +∞ and -∞.
        public var nan = 0, plusInfinity = 0, minusInfinity = 0

        /// A column holding the given figures.
        public init(low: Double? = nil, high: Double? = nil, nan: Int = 0, plusInfinity: Int = 0, minusInfinity: Int = 0) {
            (self.low, self.high, self.nan, self.plusInfinity, self.minusInfinity) = (low, high, nan, plusInfinity, minusInfinity)
        }

        /// Counts `y` in: a finite value widens the range, a NaN or infinity is counted.
        public mutating func add(_ y: Double) {
            if y.isNaN {
                nan += 1
            } else if y == .infinity {
                plusInfinity += 1
            } else if y == -.infinity {
                minusInfinity += 1
            } else {
                low = Swift.min(low ?? y, y)
                high = Swift.max(high ?? y, y)
            }
        }

        /// Counts in every value of `other`.
        public mutating func merge(_ other: Column) {
            // Low, then high, one at a time: no array for each of a long run's thousands of merges.
            if let value = other.low { widen(value) }
            if let value = other.high { widen(value) }
            nan += other.nan
            plusInfinity += other.plusInfinity
            minusInfinity += other.minusInfinity
        }

        /// Widens the range of finite values to hold `value`.
        private mutating func widen(_ value: Double) {
            low = Swift.min(low ?? value, value)
            high = Swift.max(high ?? value, value)
        }

        /// True when nothing fell into the column.
        public var isEmpty: Bool { low == nil && nan == 0 && plusInfinity == 0 && minusInfinity == 0 }
    }

    /// The x range the columns divide evenly (evenly in log10(x) on a log scale).
    public let xDomain: ClosedRange<Double>
    /// How x is spread over the columns.
    public let xKind: Scale.Kind
    /// True when points outside `xDomain` are left out (a chart of a range of epochs); false when
    /// they go to the nearest end column (a live run that grew while its chart was read).
    public let clipped: Bool
    /// The columns, left to right.
    public private(set) var columns: [Column]

    /// True when no point fell into any column.
    public var isEmpty: Bool { columns.allSatisfy(\.isEmpty) }

    /// An empty envelope of `width` columns over `xDomain` (positive on a log scale); `clipped`
    /// leaves out points outside the domain.
    public init(width: Int, xDomain: ClosedRange<Double>, xKind: Scale.Kind = .linear, clipped: Bool = false) {
        self.xDomain = xDomain
        self.xKind = xKind
        self.clipped = clipped
        columns = Array(repeating: Column(), count: max(width, 1))
    }

    /// An empty envelope with the same columns, x domain and clipping as `other`.
    public init(shapedLike other: Envelope) {
        self.init(width: other.columns.count, xDomain: other.xDomain, xKind: other.xKind, clipped: other.clipped)
    }

    /// The column that `x` falls into; x outside the domain goes to the nearest end, and a
    /// domain too wide for one subtraction is measured in halves.
    public func column(of x: Double) -> Int {
        let (low, high) = (xDomain.lowerBound, xDomain.upperBound)
        let fraction: Double
        if xKind == .log {
            fraction = x > 0 ? (log10(x) - log10(low)) / (log10(high) - log10(low)) : 0
        } else {
            let offset = x - low, span = high - low
            fraction = offset.isFinite && span.isFinite ? offset / span : (x / 2 - low / 2) / (high / 2 - low / 2)
        }
        // Compared before converting: an x far outside the domain would not fit an Int.
        guard fraction > 0 else { return 0 }
        guard fraction < 1 else { return columns.count - 1 }
        return min(Int((fraction * Double(columns.count)).rounded(.down)), columns.count - 1)
    }

    /// The column of `x`, or nil when the envelope is clipped and x lies outside its domain.
    public func place(of x: Double) -> Int? {
        clipped && !xDomain.contains(x) ? nil : column(of: x)
    }

    /// Adds one point of the series.
    public mutating func add(x: Double, y: Double) {
        if let column = place(of: x) { columns[column].add(y) }
    }

    /// Adds the values of a part of the series summarised elsewhere, all of which fall into the
    /// column of `x`: the same columns as adding them one by one.
    public mutating func merge(_ part: Column, at x: Double) {
        if let column = place(of: x) { columns[column].merge(part) }
    }

    /// Makes `y` the only value of the column of `x`: a line that shows one value per column (a
    /// layer's median at the last step of the column).
    public mutating func set(x: Double, y: Double) {
        guard let column = place(of: x) else { return }
        columns[column] = Column()
        columns[column].add(y)
    }

    /// The columns that hold a finite value.
    public var filledColumns: [Int] { columns.indices.filter { columns[$0].low != nil } }

    /// The smallest and largest finite value of the whole series (nil when none was finite);
    /// with `positiveOnly`, of its positive values only, for a log scale.
    public func finiteRange(positiveOnly: Bool = false) -> ClosedRange<Double>? {
        var low: Double?, high: Double?
        for column in columns {
            for value in [column.low, column.high].compactMap({ $0 }) where !positiveOnly || value > 0 {
                low = min(low ?? value, value)
                high = max(high ?? value, value)
            }
        }
        guard let low, let high else { return nil }
        return low...high
    }

    /// How many values had no place on the chart.
    public var nonFiniteCount: Int { columns.reduce(0) { $0 + $1.nan + $1.plusInfinity + $1.minusInfinity } }
}
