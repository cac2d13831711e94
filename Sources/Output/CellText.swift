import SQLiteDB

/// How one stored value is written as text in every output format.
package enum CellText {
    /// NULL is empty; a real uses Swift's shortest digits that read back to the same Double
    /// (`0.1`, `-1.0000000000842668`, `1e-06`, `inf`, `-inf`) and every NaN is `nan` (its sign
    /// and payload stay in the database only); text is verbatim.
    package static func plain(_ value: SQLiteValue) -> String {
        switch value {
        case .null: ""
        case .integer(let number): String(number)
        case .real(let number): number.isNaN ? "nan" : "\(number)"
        case .text(let text): text
        case .blob(let bytes): "x'" + bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined() + "'"
        }
    }

    /// True for values that line up on the right: numbers.
    package static func isNumeric(_ value: SQLiteValue) -> Bool {
        switch value {
        case .integer, .real: true
        default: false
        }
    }
}

extension CellText {
    /// A number with at most `digits` significant digits, as C's `%.{digits}g` writes it (`0.6931`,
    /// `8.427e-11`), rounded from its shortest round-trip digits; for the terminal table only.
    package static func number(_ value: Double, significantDigits digits: Int) -> String {
        guard value.isFinite, value != 0 else { return plain(.real(value)) }
        var (mantissa, exponent) = decimalDigits(of: abs(value))  // value = 0.mantissa × 10^exponent
        if mantissa.count > digits {
            let roundUp = mantissa[digits] >= 5
            mantissa = Array(mantissa.prefix(digits))
            if roundUp {
                var index = digits - 1
                while index >= 0 && mantissa[index] == 9 { mantissa[index] = 0; index -= 1 }
                if index >= 0 { mantissa[index] += 1 } else { mantissa.insert(1, at: 0); mantissa.removeLast(); exponent += 1 }
            }
        }
        while mantissa.count > 1 && mantissa.last == 0 { mantissa.removeLast() }
        let sign = value < 0 ? "-" : ""
        let scientific = exponent - 1
        let text = mantissa.map(String.init).joined()
        if scientific < -4 || scientific >= digits {
            let rest = text.dropFirst()
            let power = abs(scientific) < 10 ? "0\(abs(scientific))" : "\(abs(scientific))"
            return sign + text.prefix(1) + (rest.isEmpty ? "" : "." + rest) + "e" + (scientific < 0 ? "-" : "+") + power
        }
        if exponent <= 0 { return sign + "0." + String(repeating: "0", count: -exponent) + text }
        if exponent >= text.count { return sign + text + String(repeating: "0", count: exponent - text.count) }
        return sign + text.prefix(exponent) + "." + text.dropFirst(exponent)
    }

    /// The decimal digits of the shortest representation of a positive finite value, and its
    /// exponent E such that value = 0.d1d2… × 10^E.
    private static func decimalDigits(of value: Double) -> ([Int], Int) {
        let text = "\(value)"
        let parts = text.split(separator: "e")
        var exponent = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
        let significand = parts[0]
        let whole = significand.split(separator: ".", omittingEmptySubsequences: false)
        let integerPart = whole[0]
        let fraction = whole.count > 1 ? whole[1] : ""
        var digits = (integerPart + fraction).compactMap { $0.wholeNumberValue }
        exponent += integerPart.count
        while digits.first == 0 && digits.count > 1 {
            digits.removeFirst()
            exponent -= 1
        }
        return (digits, exponent)
    }
}
