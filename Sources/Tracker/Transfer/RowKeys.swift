/// One of a run's long tables, whose rows a store read in place copies only as its readers ask for
/// them (`Store.fetch`), and the key that orders them.
enum LongTable: String, CaseIterable {
    case steps, gradients, epochs

    /// The column a reader names rows by: the step, or the epoch.
    var key: String { self == .epochs ? "epoch" : "step" }
}

/// The keys of the rows of a long table that a reader is about to read (`Store.fetch`).
enum RowKeys {
    /// Every key in these ranges.
    case ranges([ClosedRange<Int64>])
    /// In each range, the largest key that has a row meeting `condition` (SQL over the table's
    /// columns, true when nil): the row a reader's `max(step) … BETWEEN` finds.
    case lastIn([ClosedRange<Int64>], condition: String?)
    /// The keys a query of the store returns (PostgreSQL's SQL; any run's id is written into it).
    case selectedBy(String)

    /// Every row of the table.
    static let all = RowKeys.ranges([Int64.min...Int64.max])

    /// The keys of `ranges` from `low` through `high` (none when `low` is past `high`).
    static func ranges(_ ranges: [ClosedRange<Int64>], within low: Int64, _ high: Int64) -> RowKeys {
        .ranges(ranges.compactMap { range in
            let (from, through) = (max(range.lowerBound, low), min(range.upperBound, high))
            return from <= through ? from...through : nil
        })
    }
}

/// A set of keys as sorted, disjoint, non-adjacent ranges: which rows of a long table are already
/// copied, so that a reader asking again for rows it has is not sent them twice.
struct KeyRanges: Equatable {
    private(set) var ranges: [ClosedRange<Int64>] = []

    /// The parts of `wanted` that are not in the set, sorted and merged.
    func missing(from wanted: [ClosedRange<Int64>]) -> [ClosedRange<Int64>] {
        var result: [ClosedRange<Int64>] = []
        for range in Self.merged(wanted) {
            var low = range.lowerBound
            var done = false
            for have in ranges where !done && have.upperBound >= low && have.lowerBound <= range.upperBound {
                if have.lowerBound > low { result.append(low...(have.lowerBound - 1)) }
                if have.upperBound >= range.upperBound { done = true } else { low = have.upperBound + 1 }
            }
            if !done { result.append(low...range.upperBound) }
        }
        return result
    }

    /// Adds `added` to the set.
    mutating func insert(_ added: [ClosedRange<Int64>]) {
        ranges = Self.merged(ranges + added)
    }

    /// Ranges sorted, with those that overlap or touch joined into one.
    static func merged(_ ranges: [ClosedRange<Int64>]) -> [ClosedRange<Int64>] {
        var result: [ClosedRange<Int64>] = []
        for range in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            // Touching: the last one ends just before this one starts (written so as not to overflow).
            if let last = result.last, last.upperBound >= range.lowerBound || last.upperBound == range.lowerBound - 1 {
                result[result.count - 1] = last.lowerBound...max(last.upperBound, range.upperBound)
            } else {
                result.append(range)
            }
        }
        return result
    }
}
