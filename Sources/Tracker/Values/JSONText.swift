/// Writes JSON text by hand: a few lines that keep every Double's shortest round-trip digits.
///
/// JSON has no NaN or infinity; those are written as the strings "NaN", "Infinity" and "-Infinity".
public enum JSONText {
    /// JSON's escaping rule: `"` and `\` get a backslash, line feed, carriage return and tab are
    /// `\n`, `\r`, `\t`, the other C0 controls `\u00NN`, and every other character (DEL, C1 and bidi
    /// controls, noncharacters) is written as it is, which JSON allows.
    public static func string(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// A JSON number that reads back to exactly `value`, or a string for NaN and the infinities.
    public static func number(_ value: Double) -> String {
        if value.isNaN { return "\"NaN\"" }
        if value.isInfinite { return value < 0 ? "\"-Infinity\"" : "\"Infinity\"" }
        return "\(value)"
    }

    /// An object whose members are already JSON text, in the order given.
    public static func object(_ members: [(String, String)]) -> String {
        "{" + members.map { "\(string($0.0)): \($0.1)" }.joined(separator: ", ") + "}"
    }

    /// An array whose elements are already JSON text.
    public static func array(_ elements: [String]) -> String {
        "[" + elements.joined(separator: ", ") + "]"
    }
}
