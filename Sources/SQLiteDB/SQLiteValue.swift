/// One value as SQLite stores it: the five storage classes.
public enum SQLiteValue: Equatable, Sendable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])

    /// The value as a Double when it is numeric, else nil.
    @inlinable public var doubleValue: Double? {
        switch self {
        case .integer(let value): Double(value)
        case .real(let value): value
        default: nil
        }
    }

    /// The value as an Int64 when it is an integer, else nil.
    @inlinable public var int64Value: Int64? {
        if case .integer(let value) = self { return value }
        return nil
    }

    /// The value as a String when it is text, else nil.
    @inlinable public var stringValue: String? {
        if case .text(let value) = self { return value }
        return nil
    }

    /// Equality that compares reals by their bit pattern, so -0.0 differs from 0.0 and NaN equals itself.
    public static func == (lhs: SQLiteValue, rhs: SQLiteValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): true
        case let (.integer(a), .integer(b)): a == b
        case let (.real(a), .real(b)): a.bitPattern == b.bitPattern
        case let (.text(a), .text(b)): a == b
        case let (.blob(a), .blob(b)): a == b
        default: false
        }
    }
}

// No ExpressibleByNilLiteral: `optionalValue == nil` must keep meaning "no value", not `.null`.
extension SQLiteValue: ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral, ExpressibleByStringLiteral {
    public init(integerLiteral value: Int64) { self = .integer(value) }
    public init(floatLiteral value: Double) { self = .real(value) }
    public init(stringLiteral value: String) { self = .text(value) }
}
