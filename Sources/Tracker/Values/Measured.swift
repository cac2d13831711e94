import SQLiteDB

/// gradlog's one rule for measured numbers in SQL: a NaN is stored as NULL (SQLite has no NaN),
/// every other Double, infinities included, as a REAL; reading turns NULL back into NaN.
///
/// Every measured column (losses, parameters, gradients, errors, accuracy, inputs, learning rate)
/// goes through here; the generic SQLite wrapper knows nothing of it.
public enum Measured {
    /// The SQL value that stores `number`.
    public static func value(_ number: Double) -> SQLiteValue {
        number.isNaN ? .null : .real(number)
    }

    /// The number a measured column's value stands for: NULL is NaN; nil for text and blobs,
    /// which a measured column cannot hold unless the file was changed outside gradlog.
    public static func number(_ value: SQLiteValue) -> Double? {
        switch value {
        case .real(let number): number
        case .integer(let number): Double(number)
        case .null: .nan
        case .text, .blob: nil
        }
    }

    /// Binds `number` as `value(_:)` stores it.
    static func bind(_ number: Double, to statement: Statement, at index: Int32) throws {
        if number.isNaN {
            try statement.bind(.null, at: index)
        } else {
            try statement.bind(number, at: index)
        }
    }

    /// True when a stored number equals a computed one: IEEE equality, with NaN equal to NaN (a
    /// REAL column keeps no sign of zero, so -0.0 equals 0.0).
    public static func same(_ stored: Double, _ computed: Double) -> Bool {
        stored == computed || (stored.isNaN && computed.isNaN)
    }
}

/// A measured column's value decoded by gradlog's rule: NULL is NaN, text and blobs do not decode.
struct MeasuredNumber: SQLiteDecodable {
    let number: Double

    static func decode(_ value: SQLiteValue) -> MeasuredNumber? { Measured.number(value).map(MeasuredNumber.init) }
    static var expected: String { "a number or NULL" }
}

extension SQLiteRow {
    /// The measured column called `name` (NULL reads as NaN); throws when it holds text or a blob.
    func measured(_ name: String) throws -> Double { try (self[name] as MeasuredNumber).number }
}

extension Statement {
    /// The current row's measured column at `index` (NULL reads as NaN); throws when it holds text or a blob.
    func measured(at index: Int32) throws -> Double { try decode(MeasuredNumber.self, at: index).number }
}

extension Database {
    /// A one-column query of a measured column, NULL read as NaN.
    func measuredColumn(_ sql: String, _ parameters: [SQLiteValue] = []) throws -> [Double] {
        try column(MeasuredNumber.self, sql, parameters).map(\.number)
    }
}
