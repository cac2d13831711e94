import Testing
@testable import Charts

/// A layer's parameters as one band: the range of every value, the median at each column's last x.
@Suite struct GroupBandsTests {
    @Test("The median is the middle finite value, or the mean of the middle two; none without a finite value")
    func median() {
        #expect(GroupBands.median([3, 1, 2]) == 2)
        #expect(GroupBands.median([4, 1, .nan, 2, 3]) == 2.5)
        #expect(GroupBands.median([.nan, .infinity]) == nil && GroupBands.median([]) == nil)
        #expect(GroupBands.median([.greatestFiniteMagnitude, .greatestFiniteMagnitude]) == .greatestFiniteMagnitude)
    }

    @Test("Each group's range holds every value; its median line holds the median at the last x of each column")
    func rangesAndMedians() {
        var bands = GroupBands(count: 2, shapedLike: Envelope(width: 2, xDomain: 1...4))
        for x in 1...4 {
            for (k, y) in [Double(x), 10 * Double(x), 100, .nan].enumerated() { bands.add(x: Double(x), y: y, group: k % 2) }
        }
        bands.flush()
        #expect(bands.ranges[0].columns.map(\.low) == [1, 3] && bands.ranges[0].columns.map(\.high) == [100, 100])
        #expect(bands.ranges[1].columns.map(\.nan) == [2, 2])
        #expect(bands.medians[0].columns.map(\.low) == [51, 52] && bands.medians[1].columns.map(\.low) == [20, 40])
        var merged = GroupBands(count: 1, shapedLike: Envelope(width: 2, xDomain: 1...4))
        merged.merge(.init(low: 0, high: 1), at: 4, group: 0)
        #expect(merged.columnsWithRange == [1] && merged.medians[0].filledColumns.isEmpty, "a summary has no median")
    }
}
