import Training
import Wording

/// Text for a cell of a GitHub-flavoured Markdown table, shown as it is, never read as Markdown or HTML.
package enum MarkdownText {
    /// Markdown's escaping rule: controls, bidi controls and noncharacters get the terminal's escapes
    /// (`\n`, `\e`, `\u202e`); `&`, `<` and `>` become `&amp;`, `&lt;` and `&gt;`; `\`, `|`, `` ` ``,
    /// `*`, `[`, `]`, `~` and a `_` not between two ASCII letters or digits get a backslash.
    package static func escaped(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { MessageText.isEscaped($0) || mayBeMarkup($0) }) else { return text }
        var result = ""
        result.reserveCapacity(text.utf8.count + 16)
        var previous: Unicode.Scalar?
        // An underscore after a letter or digit waits for the next scalar: within a word
        // (`abs_error`) it cannot open or close emphasis, so it stays as it is.
        var pendingUnderscore = false
        for scalar in text.unicodeScalars {
            if pendingUnderscore {
                result += isASCIIAlphanumeric(scalar) ? "_" : "\\_"
                pendingUnderscore = false
            }
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\\", "|", "`", "*", "[", "]", "~":
                result += "\\"
                result.unicodeScalars.append(scalar)
            case "_":
                if let previous, isASCIIAlphanumeric(previous) { pendingUnderscore = true } else { result += "\\_" }
            case _ where MessageText.isEscaped(scalar): result += MessageText.escape(scalar)
            default: result.unicodeScalars.append(scalar)
            }
            previous = scalar
        }
        if pendingUnderscore { result += "\\_" }
        return result
    }

    private static func mayBeMarkup(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "&", "<", ">", "\\", "|", "`", "*", "[", "]", "~", "_": true
        default: false
        }
    }

    private static func isASCIIAlphanumeric(_ scalar: Unicode.Scalar) -> Bool {
        ("0"..."9").contains(scalar) || ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
    }
}
