/// The one corpus of hostile text that every output format's tests read: markup of every format,
/// control and bidi characters, noncharacters, NUL, bytes that are not UTF-8, and a 100 KB string.
public enum HostileStrings {
    /// One string of the corpus, with what it attacks (for test messages).
    public struct Entry: Sendable {
        /// What the string attacks, such as "bidi override".
        public let label: String
        /// The text itself.
        public let text: String
    }

    /// Every string of the corpus that a Swift String can hold, NUL included.
    public static let texts: [Entry] = [
        Entry(label: "HTML image with a script", text: "<img src=x onerror=alert(1)>"),
        Entry(label: "script end and start", text: "</script><script>alert('x')</script>"),
        Entry(label: "Markdown table row", text: "| a | b |\n|---|---|"),
        Entry(label: "Markdown emphasis", text: "**bold** _em_ __init__ ~~gone~~ abs_error"),
        Entry(label: "Markdown link and image", text: "[x](javascript:alert(1)) ![i](http://example.org/i.png)"),
        Entry(label: "backticks", text: "`code` ```fence``` \\`"),
        Entry(label: "entities", text: "&amp; &lt;b&gt; &#60; &"),
        Entry(label: "XML quotes and CDATA", text: "\"double\" 'single' <![CDATA[x]]> ]]>"),
        Entry(label: "backslashes and escapes", text: "a\\|b \\\\ \\n \\t \\x07 \\u202e \\"),
        Entry(label: "CSV and TSV delimiters", text: "a,\"b\"\tc,,\"\""),
        Entry(label: "NUL", text: "before\u{0}after NUL"),
        Entry(label: "C0 controls", text: "\u{1}\u{2}\u{7}\u{8}\u{B}\u{C}\u{1F}"),
        Entry(label: "tab and line breaks", text: "tab\there\nnew line\r\ncrlf\rcr"),
        Entry(label: "ANSI escapes", text: "\u{1B}[31mred\u{1B}[0m \u{1B}]0;title\u{7} \u{1B}[2J"),
        Entry(label: "DEL and C1 controls", text: "del\u{7F} nel\u{85} csi\u{9B}2J"),
        Entry(label: "bidi override", text: "invoice\u{202E}fdp.exe"),
        Entry(label: "bidi isolates and marks", text: "\u{2066}iso\u{2069} \u{2067}r\u{2068}f\u{2069} \u{200E}\u{200F}\u{061C} \u{202A}\u{202B}\u{202C}\u{202D}"),
        // Swift's string literals refuse U+FDD0–U+FDEF, so these are made from their code points.
        Entry(label: "noncharacters", text: String(String.UnicodeScalarView(
            [0xFFFE, 0xFFFF, 0xFDD0, 0xFDEF, 0x1FFFE, 0x10FFFF].compactMap(Unicode.Scalar.init)))),
        Entry(label: "line and paragraph separators", text: "a\u{2028}b\u{2029}c"),
        Entry(label: "100 KB", text: hundredKilobytes),
    ]

    /// A string of over 100,000 UTF-8 bytes, every piece of it hostile (but with no NUL, so that it
    /// is one PostgreSQL can store).
    public static let hundredKilobytes: String = {
        let piece = "<b>&|*_`[x]\u{1B}[1m\u{202E}\u{FFFF}é\n"
        return String(repeating: piece, count: 100_000 / piece.utf8.count + 1)
    }()

    /// Byte strings that are not UTF-8, which SQLite stores as TEXT as they are (written by another
    /// program): a lone continuation byte, a truncated sequence, an overlong `/`, an encoded
    /// surrogate, a byte UTF-8 never uses, and a truncated 4-byte sequence at the end.
    public static let notUTF8: [[UInt8]] = [
        Array("ok".utf8) + [0x80] + Array("tail".utf8),
        [0xC3],
        [0xC0, 0xAF],
        [0xED, 0xA0, 0x80],
        Array("a".utf8) + [0xFF, 0xFE] + Array("b".utf8),
        Array("end".utf8) + [0xF0, 0x90, 0x80],
    ]
}
