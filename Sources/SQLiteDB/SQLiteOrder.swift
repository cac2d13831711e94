/// The order SQLite's ORDER BY gives values of mixed kinds: NULL, then numbers by value, then text,
/// then blobs; for sorting tables that were built outside SQL.
///
/// As SQLite compares them: text by its bytes (the BINARY collation; Swift's `<` would take a
/// composed and a decomposed é for one string), an integer and a real exactly (through `Double`,
/// 2^53 + 1 would equal 2^53), and NaN, which SQLite stores as NULL, as NULL.
package enum SQLiteOrder {
    /// Whether `a` sorts before `b`.
    package static func less(_ a: SQLiteValue, _ b: SQLiteValue) -> Bool {
        switch (a, b) {
        case let (.text(x), .text(y)): return x.utf8.lexicographicallyPrecedes(y.utf8)
        case let (.blob(x), .blob(y)): return x.lexicographicallyPrecedes(y)
        case let (.integer(x), .integer(y)): return x < y
        case let (.real(x), .real(y)) where !x.isNaN && !y.isNaN: return x < y
        case let (.integer(x), .real(y)) where !y.isNaN: return compare(x, y) < 0
        case let (.real(x), .integer(y)) where !x.isNaN: return compare(y, x) > 0
        default: return rank(a) < rank(b)
        }
    }

    /// -1, 0 or 1 as `integer` is below, equal to or above `real` (not NaN), exactly.
    static func compare(_ integer: Int64, _ real: Double) -> Int {
        // 2^63 as a Double: every Int64 is below it, and at or above -2^63.
        let bound = 9_223_372_036_854_775_808.0
        if real >= bound { return -1 }
        if real < -bound { return 1 }
        let floor = Int64(real.rounded(.down))
        if integer != floor { return integer < floor ? -1 : 1 }
        return Double(floor) == real ? 0 : -1
    }

    /// The rows ordered by one column as `ORDER BY column` orders them (NULL first), or as
    /// `ORDER BY column DESC` does (NULL last), rows with equal values kept in the order given.
    package static func sorted(_ rows: [[SQLiteValue]], by column: Int, descending: Bool) -> [[SQLiteValue]] {
        rows.enumerated().sorted { a, b in
            let (x, y) = (a.element[column], b.element[column])
            if less(x, y) { return !descending }
            if less(y, x) { return descending }
            return a.offset < b.offset
        }.map(\.element)
    }

    private static func rank(_ value: SQLiteValue) -> Int {
        switch value {
        case .null: 0
        case .real(let x) where x.isNaN: 0
        case .integer, .real: 1
        case .text: 2
        case .blob: 3
        }
    }
}
