import Testing
@testable import Tracker

/// `KeyRanges`: which keys of a long table a store read on demand has copied, so that a reader
/// asking again is sent only the rest.
struct KeyRangesTests {
    @Test func whatWasCopiedIsNeverAskedForAgainAndTheRestIsAskedForInOrder() {
        var copied = KeyRanges()
        #expect(copied.missing(from: [5...9, 1...3]) == [1...3, 5...9])
        copied.insert([1...3, 5...9])
        #expect(copied.ranges == [1...3, 5...9])
        #expect(copied.missing(from: [2...6]) == [4...4])
        #expect(copied.missing(from: [0...12]) == [0...0, 4...4, 10...12])
        #expect(copied.missing(from: [6...8, 1...2]).isEmpty)
        copied.insert([4...4])
        #expect(copied.ranges == [1...9])
    }

    @Test func rangesThatTouchOrOverlapBecomeOneAndTheEndsOfTheIntegersDoNotOverflow() {
        #expect(KeyRanges.merged([3...4, 1...2, 6...8, 7...7]) == [1...4, 6...8])
        var copied = KeyRanges()
        copied.insert([Int64.min...0, 10...Int64.max])
        #expect(copied.missing(from: [Int64.min...Int64.max]) == [1...9])
        copied.insert([1...9])
        #expect(copied.ranges == [Int64.min...Int64.max])
        #expect(copied.missing(from: [Int64.min...Int64.max, 5...5]).isEmpty)
        #expect(KeyRanges().missing(from: [Int64.max...Int64.max]) == [Int64.max...Int64.max])
    }
}
