/// Readers of gradlog's text formats written for the tests from the formats' specifications (RFC
/// 4180, the sqlite3 shell's TSV, GitHub-flavoured Markdown), so output is checked by reading it back.
enum FormatReaders {
    /// The records of RFC 4180 CSV (CRLF line ends, quoted fields with doubled quotes); nil when the
    /// text breaks the RFC (a quote inside an unquoted field, text after a closing quote, a lone CR or LF).
    static func csv(_ text: String) -> [[String]]? {
        var records: [[String]] = []
        var record: [String] = []
        var field = ""
        var scalars = Array(text.unicodeScalars)[...]
        var quotedField = false
        while let scalar = scalars.popFirst() {
            switch scalar {
            case "\"" where field.isEmpty && !quotedField:
                quotedField = true
                while true {
                    guard let next = scalars.popFirst() else { return nil }
                    if next == "\"" {
                        if scalars.first == "\"" { scalars.removeFirst(); field += "\"" } else { break }
                    } else {
                        field.unicodeScalars.append(next)
                    }
                }
                guard [",", "\r", nil].contains(scalars.first) else { return nil }
            case "\"", "\n":
                return nil
            case ",":
                record.append(field)
                field = ""
                quotedField = false
            case "\r":
                guard scalars.popFirst() == "\n" else { return nil }
                record.append(field)
                records.append(record)
                record = []
                field = ""
                quotedField = false
            default:
                field.unicodeScalars.append(scalar)
            }
        }
        guard record.isEmpty, field.isEmpty else { return nil }  // the last record ends with CRLF too
        return records
    }

    /// The records of TSV as the sqlite3 shell writes it: LF line ends, tab-separated fields, and
    /// `\\`, `\t`, `\n`, `\r` in text; nil for any other backslash sequence.
    static func tsv(_ text: String) -> [[String]]? {
        guard text.hasSuffix("\n") else { return nil }
        var records: [[String]] = []
        for line in text.dropLast().split(separator: "\n", omittingEmptySubsequences: false) {
            var record: [String] = []
            for field in line.split(separator: "\t", omittingEmptySubsequences: false) {
                var value = ""
                var scalars = field.unicodeScalars[...]
                while let scalar = scalars.popFirst() {
                    guard scalar == "\\" else { value.unicodeScalars.append(scalar); continue }
                    switch scalars.popFirst() {
                    case "\\": value += "\\"
                    case "t": value += "\t"
                    case "n": value += "\n"
                    case "r": value += "\r"
                    default: return nil
                    }
                }
                record.append(value)
            }
            records.append(record)
        }
        return records
    }

    /// The cells of one row of a Markdown table (`| a | b |`), split at the pipes that no backslash
    /// escapes, without the space after each pipe and the padding before the next; nil when the row
    /// does not start and end with a pipe.
    static func markdownCells(_ line: Substring) -> [Substring]? {
        // Byte by byte: `|`, `\` and space are ASCII, and no byte of another character equals them.
        let bytes = line.utf8
        guard bytes.first == UInt8(ascii: "|") else { return nil }
        var cells: [Substring] = []
        var start = bytes.index(after: bytes.startIndex)
        var index = start
        while index < bytes.endIndex {
            switch bytes[index] {
            case UInt8(ascii: "\\"):
                index = bytes.index(after: index)
                guard index < bytes.endIndex else { return nil }
            case UInt8(ascii: "|"):
                guard start < index, bytes[start] == UInt8(ascii: " ") else { return nil }
                let contentStart = bytes.index(after: start)
                var end = index
                while end > contentStart && bytes[bytes.index(before: end)] == UInt8(ascii: " ") { end = bytes.index(before: end) }
                cells.append(line[contentStart..<end])
                start = bytes.index(after: index)
            default:
                break
            }
            index = bytes.index(after: index)
        }
        guard start == bytes.endIndex, !cells.isEmpty else { return nil }
        return cells
    }

    /// The entities a Markdown cell may hold, as scalars, with the character each shows.
    private static let entities: [(key: [Unicode.Scalar], value: String)] =
        [("&amp;", "&"), ("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\"")].map { (Array($0.0.unicodeScalars), $0.1) }

    /// What a CommonMark renderer shows for a cell's text (a backslash before ASCII punctuation shows
    /// that character; `&amp;`, `&lt;`, `&gt;` and `&quot;` their characters), or nil when it would
    /// read markup there: an unescaped `*`, `` ` ``, `[`, `]`, `~`, `|`, `<`, `>`, a bare `&`, or a `_`
    /// that is not inside a word.
    static func commonMarkText(_ cell: Substring) -> String? {
        let scalars = Array(cell.unicodeScalars)
        var shown = ""
        var index = 0
        func isWordScalar(_ offset: Int) -> Bool {
            guard scalars.indices.contains(offset) else { return false }
            let scalar = scalars[offset]
            return scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar))
        }
        while index < scalars.count {
            let scalar = scalars[index]
            switch scalar {
            case "\\" where index + 1 < scalars.count && scalars[index + 1].isASCII
                && scalars[index + 1].properties.generalCategory.isPunctuationOrSymbol:
                shown.unicodeScalars.append(scalars[index + 1])
                index += 2
                continue
            case "&":
                guard let entity = entities.first(where: { entity in scalars[index...].starts(with: entity.key) }) else { return nil }
                shown += entity.value
                index += entity.key.count
                continue
            case "*", "`", "[", "]", "~", "|", "<", ">":
                return nil
            case "_" where !(isWordScalar(index - 1) && isWordScalar(index + 1)):
                return nil
            default:
                shown.unicodeScalars.append(scalar)
            }
            index += 1
        }
        return shown
    }
}

extension Unicode.GeneralCategory {
    /// Punctuation or symbol: CommonMark's ASCII punctuation is `!` to `/`, `:` to `@`, `[` to `` ` `` and `{` to `~`.
    var isPunctuationOrSymbol: Bool {
        switch self {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation,
             .finalPunctuation, .otherPunctuation, .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol:
            true
        default:
            false
        }
    }
}
