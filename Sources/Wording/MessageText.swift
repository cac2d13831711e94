/// Text from a file or a command line made safe to show on a terminal: control characters escaped,
/// and, in messages, long text cut short.
///
/// A name or cell can hold ESC, BEL or CSI sequences that would restyle or rewrite the user's
/// terminal, bidi controls that would show it in another order (`exe.txt` written as `txt.exe`),
/// or be megabytes long; messages and tables show it escaped instead.
public enum MessageText {
    /// How many characters of a value a message quotes before cutting it short.
    public static let limit = 80

    /// The terminal's escaping rule: every control, bidi control and noncharacter is written as an
    /// escape (`\n`, `\r`, `\t`, `\e` for ESC, `\xNN` for the other C0 controls and DEL, `\uNNNN` for
    /// C1 controls, U+2028/U+2029, bidi controls and noncharacters such as U+FFFF), all else as it is.
    public static func escapingControls(_ text: String) -> String {
        // Printable ASCII, the common case, is checked byte by byte.
        guard text.utf8.contains(where: { $0 < 0x20 || $0 >= 0x7F }), text.unicodeScalars.contains(where: isEscaped) else {
            return text
        }
        var result = ""
        for scalar in text.unicodeScalars {
            if isEscaped(scalar) { result += escape(scalar) } else { result.unicodeScalars.append(scalar) }
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

    /// Whether `escapingControls` writes the scalar as an escape: it would move the cursor, restyle
    /// the terminal, reorder the text around it, or show as nothing (or a box) of unknown width.
    public static func isEscaped(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        return value < 0x20 || (0x7F...0x9F).contains(value) || value == 0x2028 || value == 0x2029
            || isBidiControl(value) || isNoncharacter(value)
    }

    /// The escape `escapingControls` writes for a scalar that `isEscaped`.
    public static func escape(_ scalar: Unicode.Scalar) -> String {
        switch scalar {
        case "\n": return "\\n"
        case "\r": return "\\r"
        case "\t": return "\\t"
        case "\u{1B}": return "\\e"
        default:
            let digits = String(scalar.value, radix: 16)
            return scalar.value < 0x80
                ? "\\x" + String(repeating: "0", count: 2 - digits.count) + digits
                : "\\u" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
        }
    }

    /// ALM, LRM, RLM, the embeddings and overrides U+202A–U+202E and the isolates U+2066–U+2069.
    private static func isBidiControl(_ value: UInt32) -> Bool {
        value == 0x061C || value == 0x200E || value == 0x200F || (0x202A...0x202E).contains(value)
            || (0x2066...0x2069).contains(value)
    }

    /// U+FDD0–U+FDEF and the last two code points of every plane (U+FFFE, U+FFFF, U+1FFFE, …).
    private static func isNoncharacter(_ value: UInt32) -> Bool {
        (0xFDD0...0xFDEF).contains(value) || value & 0xFFFE == 0xFFFE
    }
}
