import SQLiteDB

/// How one stored value is written as text in every output format.
enum CellText {
    /// NULL is empty; a real uses Swift's shortest digits that read back to the same Double
    /// (`0.1`, `-1.0000000000842668`, `1e-06`, `inf`, `-inf`) and every NaN is `nan` (its sign
    /// and payload stay in the database only); text is verbatim.
    static func plain(_ value: SQLiteValue) -> String {
        switch value {
        case .null: ""
        case .integer(let number): String(number)
        case .real(let number): number.isNaN ? "nan" : "\(number)"
        case .text(let text): text
        case .blob(let bytes): "x'" + bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined() + "'"
        }
    }

    /// True for values that line up on the right: numbers.
    static func isNumeric(_ value: SQLiteValue) -> Bool {
        switch value {
        case .integer, .real: true
        default: false
        }
    }
}
