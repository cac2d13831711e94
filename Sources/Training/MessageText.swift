/// Text from a file or a command line made safe to show on a terminal: control characters escaped,
/// and, in messages, long text cut short.
///
/// A name or cell can hold ESC, BEL or CSI sequences that would restyle or rewrite the user's
/// terminal, or be megabytes long; messages and tables show it escaped instead.
public enum MessageText {
    /// How many characters of a value a message quotes before cutting it short.
    public static let limit = 80

    /// `text` with every control character escaped: `\n`, `\r`, `\t`, `\e` (ESC), `\xNN` for the
    /// other C0 controls and DEL, `\uNNNN` for the C1 controls (such as U+009B, CSI) and the Unicode
    /// line and paragraph separators. Other text, backslashes included, is kept as it is.
    public static func escapingControls(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: needsEscape) else { return text }
        var result = ""
        for scalar in text.unicodeScalars {
            guard needsEscape(scalar) else {
                result.unicodeScalars.append(scalar)
                continue
            }
            switch scalar {
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case "\u{1B}": result += "\\e"
            default:
                let digits = String(scalar.value, radix: 16)
                result += scalar.value < 0x80
                    ? "\\x" + String(repeating: "0", count: 2 - digits.count) + digits
                    : "\\u" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
            }
        }
        return result
    }

    /// `text` escaped and, past `limit` characters, cut with `…` and its full length (never in
    /// the middle of an escape).
    public static func shown(_ text: String, limit: Int = MessageText.limit) -> String {
        let escaped = escapingControls(text)
        guard escaped.count > limit else { return escaped }
        var shown = ""
        var length = 0
        for character in text {
            let piece = escapingControls(String(character))
            if length + piece.count > limit { break }
            shown += piece
            length += piece.count
        }
        return shown + "… (\(text.utf8.count) bytes in all)"
    }

    /// `shown(text)` in single quotes.
    public static func quoted(_ text: String, limit: Int = MessageText.limit) -> String {
        "'" + shown(text, limit: limit) + "'"
    }

    private static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar.value == 0x2028 || scalar.value == 0x2029
    }
}
