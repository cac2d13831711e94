/// The one grammar gradlog reads numbers in, from CSV files and the command line alike: decimal
/// notation (`-1.5`, `2e-3`, `.5`), never hexadecimal (`0x10`, `0x1p3`), `nan` or `inf`, which
/// Swift's `Double(String)` would also take.
public enum DecimalNumber {
    /// The value of `text` written in decimal notation, or nil; a value beyond the range of doubles
    /// is ±infinity, for the caller to refuse as not finite.
    public static func parse<Text: StringProtocol>(_ text: Text) -> Double? {
        guard text.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || signs.contains($0) }) else {
            return nil
        }
        return Double(String(text))
    }

    /// What may stand beside the digits: signs, the decimal point and the exponent's letter.
    private static let signs = Set("+-.eE".utf8)
}
