/// Groups of series read together in increasing x (a layer's parameters): each group's min–max
/// envelope, and its median line, the median of the group's finite values at the last x of each
/// pixel column. A band drawn from the range with the median over it reads as a band, where a line
/// through every column's extremes would zigzag into a solid fill.
public struct GroupBands: Sendable {
    /// Each group's lowest and highest values per column (NaN and infinities counted).
    public private(set) var ranges: [Envelope]
    /// Each group's median per column (until `flush`, not yet the last x's).
    public private(set) var medians: [Envelope]
    /// False when only the ranges are wanted (one series per group), which saves sorting.
    public let tracksMedians: Bool
    private var pendingX: Double?
    private var pending: [[Double]]

    /// `count` empty groups, each with envelopes shaped like `shape`.
    public init(count: Int, shapedLike shape: Envelope, tracksMedians: Bool = true) {
        ranges = Array(repeating: Envelope(shapedLike: shape), count: count)
        medians = ranges
        self.tracksMedians = tracksMedians
        pending = Array(repeating: [], count: count)
    }

    /// Groups whose ranges are `envelopes`, without medians.
    public init(ranges envelopes: [Envelope]) {
        ranges = envelopes
        medians = envelopes
        tracksMedians = false
        pending = Array(repeating: [], count: envelopes.count)
    }

    /// The pixel column of `x`, nil when the envelopes leave it out.
    public func place(of x: Double) -> Int? { ranges.first?.place(of: x) }

    /// Adds the value `y` at `x` to `group`; x must not decrease from one call to the next for
    /// the medians to hold (a smaller x only starts a new median).
    public mutating func add(x: Double, y: Double, group: Int) {
        guard ranges.indices.contains(group) else { return }
        ranges[group].add(x: x, y: y)
        guard tracksMedians else { return }
        if let last = pendingX, last != x {
            // Only the last x of a column keeps its median: the values of an earlier one are dropped unsorted.
            if place(of: last) != place(of: x) { flush() } else { clearPending() }
        }
        pendingX = x
        if y.isFinite { pending[group].append(y) }
    }

    private mutating func clearPending() {
        for group in pending.indices { pending[group].removeAll(keepingCapacity: true) }
    }

    /// Adds values summarised elsewhere (a block of steps) to `group`'s range only.
    public mutating func merge(_ part: Envelope.Column, at x: Double, group: Int) {
        guard ranges.indices.contains(group) else { return }
        ranges[group].merge(part, at: x)
    }

    /// Sets `group`'s median at `x` directly (from values read for it alone).
    public mutating func setMedian(of values: [Double], at x: Double, group: Int) {
        guard medians.indices.contains(group), let median = Self.median(values) else { return }
        medians[group].set(x: x, y: median)
    }

    /// Closes the last x: call once every value was added.
    public mutating func flush() {
        guard let x = pendingX else { return }
        for group in pending.indices where !pending[group].isEmpty { setMedian(of: pending[group], at: x, group: group) }
        clearPending()
        pendingX = nil
    }

    /// The columns where some group has a finite value: where a median belongs.
    public var columnsWithRange: [Int] {
        guard tracksMedians, let first = ranges.first else { return [] }
        return first.columns.indices.filter { column in ranges.contains { $0.columns[column].low != nil } }
    }

    /// The median of the finite values (the mean of the middle two of an even count), nil when none is.
    public static func median(_ values: [Double]) -> Double? {
        let sorted = values.filter(\.isFinite).sorted()
        guard !sorted.isEmpty else { return nil }
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : sorted[middle - 1] / 2 + sorted[middle] / 2
    }
}
