/// A generous estimate of how wide a line of 12 px sans-serif text is drawn, so that a layout built
/// on it leaves room whatever font the reader's browser picks: each character is given at least
/// the width of the widest common sans-serif face (DejaVu Sans, which is wider than Arial or
/// Liberation Sans), and any character outside ASCII the width of a CJK ideograph.
enum TextWidth {
    /// The estimated width in pixels of `text` at `fontSize` pixels.
    static func of(_ text: String, fontSize: Double = 12) -> Double {
        text.unicodeScalars.reduce(0) { $0 + em($1) } * fontSize
    }

    /// The text cut to fit `width` pixels, ending in `…` when it was cut.
    static func fitted(_ text: String, width: Double, fontSize: Double = 12) -> String {
        guard of(text, fontSize: fontSize) > width else { return text }
        var kept = ""
        let room = width - of("…", fontSize: fontSize)
        for character in text {
            guard of(kept + String(character), fontSize: fontSize) <= room else { break }
            kept.append(character)
        }
        return kept + "…"
    }

    /// A character's width as a fraction of the font size, rounded up.
    private static func em(_ scalar: Unicode.Scalar) -> Double {
        switch scalar {
        case " ": 0.34
        case "i", "j", "l", ".", ",", ":", ";", "'", "|", "!", "(", ")", "[", "]", "I", "f", "t", "r", "-": 0.45
        case "m", "M", "W", "w", "@", "%", "&": 1.05
        case "=", "+", "<", ">", "~", "#", "^", "*": 0.88
        case "A"..."Z": 0.82
        case "0"..."9", "a"..."z", "$", "?", "_", "/", "\\", "\"", "{", "}", "`": 0.68
        default: scalar.value < 0x80 ? 0.68 : 1.05
        }
    }
}
