/// One value as SQLite stores it: the five storage classes.
public enum SQLiteValue: Equatable, Sendable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])

    /// A Double as gradlog stores it with every bit: a real, or for NaN (which SQLite would turn
    /// into NULL) an 8-byte BLOB holding its IEEE-754 bits, big-endian, so its payload survives.
    public init(lossless value: Double) {
        if value.isNaN {
            self = .blob(withUnsafeBytes(of: value.bitPattern.bigEndian) { Array($0) })
        } else {
            self = .real(value)
        }
    }

    /// The Double a value stands for under the lossless encoding: a real or integer as it is, an
    /// 8-byte BLOB as the NaN whose bits it holds; nil for NULL, text and other BLOBs.
    public var losslessDouble: Double? {
        switch self {
        case .real(let value): return value
        case .integer(let value): return Double(value)
        case .blob(let bytes) where bytes.count == 8:
            return Double(bitPattern: bytes.reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
        default: return nil
        }
    }

    /// The value with an encoded NaN (an 8-byte BLOB) turned back into a real.
    public var decodingNaN: SQLiteValue {
        if case .blob(let bytes) = self, bytes.count == 8, let value = losslessDouble { return .real(value) }
        return self
    }

    /// The value as a Double when it is numeric, else nil.
    public var doubleValue: Double? {
        switch self {
        case .integer(let value): Double(value)
        case .real(let value): value
        default: nil
        }
    }

    /// The value as an Int64 when it is an integer, else nil.
    public var int64Value: Int64? {
        if case .integer(let value) = self { return value }
        return nil
    }

    /// The value as a String when it is text, else nil.
    public var stringValue: String? {
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
