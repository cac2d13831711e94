import Testing
@testable import SQLiteDB

/// Tables sorted outside SQL come out in the order SQLite's own ORDER BY gives.
@Suite struct SQLiteOrderTests {
    /// Values of every kind, with ties, in the order they were inserted (`n`): text that Swift's `<`
    /// orders otherwise (a composed and a decomposed é, which it takes for one string), integers
    /// beyond a Double's 2^53 beside reals, the ends of the 64-bit range, and NaN (stored as NULL).
    static let values: [SQLiteValue] = [
        .text("b"), .integer(2), .null, .real(1.5), .blob([1]), .text("a"), .integer(-3), .real(2), .null, .text("B"),
        .blob([0, 9]), .integer(1), .real(-.infinity), .text(""),
        .text("\u{E9}"), .text("e\u{301}"), .text("\u{E9}a"), .text("e\u{301}b"), .text("\u{10000}"), .text("\u{FFFF}"),
        .integer(9_007_199_254_740_993), .real(9_007_199_254_740_992), .integer(9_007_199_254_740_992),
        .integer(.max), .real(9_223_372_036_854_775_808), .integer(.min), .real(-9_223_372_036_854_775_808),
        .real(-0.0), .integer(0), .real(0.5), .real(-0.5), .real(.nan), .real(.infinity),
    ]

    @Test(arguments: [false, true])
    func sortingByAColumnGivesSQLitesOrderWithTiesInTheOrderGiven(descending: Bool) throws {
        let db = try Database(path: ":memory:")
        try db.execute("CREATE TABLE t (n INTEGER PRIMARY KEY, v ANY) STRICT")
        for (n, value) in Self.values.enumerated() { try db.run("INSERT INTO t VALUES (?, ?)", [.integer(Int64(n)), value]) }
        let expected = try db.column(Int64.self, "SELECT n FROM t ORDER BY v \(descending ? "DESC" : "ASC"), n")
        let rows = Self.values.enumerated().map { [SQLiteValue.integer(Int64($0.offset)), $0.element] }
        let sorted = SQLiteOrder.sorted(rows, by: 1, descending: descending)
        #expect(sorted.map { $0[0].int64Value } == expected)
    }
}
