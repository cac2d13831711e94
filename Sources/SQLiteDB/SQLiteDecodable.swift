import CSQLite

/// A Swift type a result column decodes into by name, as `let id: Int64 = try row["id"]`.
///
/// Decoding is strict: a column holds what its type says or the read throws SQLITE_MISMATCH,
/// naming the column, so a file changed outside the program is reported, never read as 0 or "".
/// A column that may be NULL decodes into an Optional.
public protocol SQLiteDecodable {
    /// The Swift value `value` stands for, or nil when its storage class does not fit the type.
    static func decode(_ value: SQLiteValue) -> Self?

    /// What the type expects, for the message of a mismatch: "an integer".
    static var expected: String { get }
}

extension SQLiteValue: SQLiteDecodable {
    /// Any value decodes as itself.
    @inlinable public static func decode(_ value: SQLiteValue) -> SQLiteValue? { value }
    @inlinable public static var expected: String { "any value" }
}

extension Int64: SQLiteDecodable {
    /// Only an INTEGER value decodes: a REAL is never rounded into an id or a count.
    @inlinable public static func decode(_ value: SQLiteValue) -> Int64? { value.int64Value }
    @inlinable public static var expected: String { "an integer" }
}

extension Int: SQLiteDecodable {
    /// An INTEGER value that fits an Int.
    @inlinable public static func decode(_ value: SQLiteValue) -> Int? { value.int64Value.flatMap { Int(exactly: $0) } }
    @inlinable public static var expected: String { "an integer" }
}

extension Double: SQLiteDecodable {
    /// A REAL, or an INTEGER converted as SQLite itself converts it; NULL does not decode (a
    /// measured column, where NULL means NaN, has its own decoder beside its rule).
    @inlinable public static func decode(_ value: SQLiteValue) -> Double? { value.doubleValue }
    @inlinable public static var expected: String { "a number" }
}

extension String: SQLiteDecodable {
    /// Only a TEXT value decodes.
    @inlinable public static func decode(_ value: SQLiteValue) -> String? { value.stringValue }
    @inlinable public static var expected: String { "text" }
}

extension Optional: SQLiteDecodable where Wrapped: SQLiteDecodable {
    /// NULL decodes as nil; any other value as the wrapped type decodes it.
    @inlinable public static func decode(_ value: SQLiteValue) -> Wrapped?? {
        if case .null = value { return .some(nil) }
        return Wrapped.decode(value).map { .some($0) }
    }
    @inlinable public static var expected: String { "\(Wrapped.expected) or NULL" }
}

extension SQLiteError {
    /// The error of a query read by a column name it does not have: a programming error, reported
    /// as SQLITE_RANGE rather than read as NULL.
    public static func missingColumn(_ name: String, sql: String?) -> SQLiteError {
        SQLiteError(code: SQLITE_RANGE, message: "the query has no column named \(name)", sql: sql)
    }

    /// The error of a column whose value does not decode into the type asked for.
    public static func mismatch(column: String, value: SQLiteValue, expected: String, sql: String?) -> SQLiteError {
        SQLiteError(code: SQLITE_MISMATCH, message: "column \(column) holds \(value.kindName), not \(expected)", sql: sql)
    }
}

extension SQLiteValue {
    /// The storage class in words, for messages: "NULL", "an integer", "a real", "text", "a blob".
    public var kindName: String {
        switch self {
        case .null: "NULL"
        case .integer: "an integer"
        case .real: "a real"
        case .text: "text"
        case .blob: "a blob"
        }
    }
}
