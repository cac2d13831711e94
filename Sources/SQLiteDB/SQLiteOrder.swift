/// The order SQLite's ORDER BY gives values of mixed kinds: NULL, then numbers by value, then text,
/// then blobs; for sorting tables that were built outside SQL.
package enum SQLiteOrder {
    /// Whether `a` sorts before `b`.
    package static func less(_ a: SQLiteValue, _ b: SQLiteValue) -> Bool {
        switch (a, b) {
        case let (.text(x), .text(y)): return x < y
        case let (.blob(x), .blob(y)): return x.lexicographicallyPrecedes(y)
        default:
            if let x = a.doubleValue, let y = b.doubleValue { return x < y }
            return rank(a) < rank(b)
        }
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
        case .integer, .real: 1
        case .text: 2
        case .blob: 3
        }
    }
}
