import SQLiteDB
import Tracker

/// Turns rows into one output format, writing as it goes where the format allows.
package protocol RowWriter {
    /// Starts the output with the column names.
    mutating func begin(columns: [String], emit: (String) -> Void)
    /// Writes one row.
    mutating func write(_ row: [SQLiteValue], emit: (String) -> Void)
    /// Ends the output (aligned formats write everything here).
    mutating func finish(emit: (String) -> Void)
}

extension OutputFormat {
    /// A fresh writer for this format; `maxWidth` and `precision` shape the plain table only.
    package func makeWriter(maxWidth: Int? = nil, precision: Int? = nil) -> any RowWriter {
        switch self {
        case .table: AlignedWriter(markdown: false, maxWidth: maxWidth, precision: precision)
        case .markdown: AlignedWriter(markdown: true)
        case .csv: DelimitedWriter(separator: ",")
        case .tsv: DelimitedWriter(separator: "\t")
        case .json: JSONRowWriter(lines: false)
        case .jsonl: JSONRowWriter(lines: true)
        }
    }
}

/// CSV as RFC 4180 describes it (CRLF line ends, quotes where needed), or TSV as the sqlite3 shell
/// and `cut` expect it (LF line ends, no quotes, tabs and line breaks in text escaped).
///
/// This is the path of `report --steps --csv` over millions of rows, so numbers are appended to
/// one line buffer directly and only text is inspected for characters that need quotes.
package struct DelimitedWriter: RowWriter {
    package let separator: Character
    private let separatorByte: UInt8
    private let lineEnd: String

    package init(separator: Character) {
        self.separator = separator
        separatorByte = separator.asciiValue ?? UInt8(ascii: ",")
        lineEnd = separator == "\t" ? "\n" : "\r\n"
    }

    package mutating func begin(columns: [String], emit: (String) -> Void) {
        emit(columns.map(quoted).joined(separator: String(separator)) + lineEnd)
    }

    package mutating func write(_ row: [SQLiteValue], emit: (String) -> Void) {
        var line = ""
        line.reserveCapacity(24 * row.count)
        for (index, value) in row.enumerated() {
            if index > 0 { line.append(separator) }
            switch value {
            case .null: break
            case .integer(let number): number.description.write(to: &line)
            case .real(let number) where number.isNaN: line += "nan"
            case .real(let number): number.write(to: &line)
            case .text, .blob: line += quoted(CellText.plain(value))
            }
        }
        line += lineEnd
        emit(line)
    }

    package mutating func finish(emit: (String) -> Void) {}

    private func quoted(_ field: String) -> String {
        separatorByte == UInt8(ascii: "\t") ? Self.tabEscaped(field) : Self.csvQuoted(field)
    }
}

/// A JSON array with one object per row, one row per line; or, with `lines`, JSON Lines: the
/// objects alone, one per line, nothing around them.
package struct JSONRowWriter: RowWriter {
    package let lines: Bool
    private var keys: [String] = []
    private var rowCount = 0

    package init(lines: Bool) {
        self.lines = lines
    }

    package mutating func begin(columns: [String], emit: (String) -> Void) {
        keys = columns.map { JSONValue.string($0).text }
        if !lines { emit("[") }
    }

    package mutating func write(_ row: [SQLiteValue], emit: (String) -> Void) {
        let object = "{" + zip(keys, row).map { "\($0.0): \(Self.json($0.1))" }.joined(separator: ", ") + "}"
        emit(lines ? object + "\n" : (rowCount == 0 ? "\n" : ",\n") + object)
        rowCount += 1
    }

    package mutating func finish(emit: (String) -> Void) {
        if !lines { emit(rowCount == 0 ? "]\n" : "\n]\n") }
    }

    /// A cell as JSON: text escaped by `JSONEncoder`; a double in its shortest round-trip form with
    /// its `.0` kept (`1.0`), so that it reads back as a real (in Python, in SQLite), and NaN and the
    /// infinities as the strings "NaN", "Infinity" and "-Infinity".
    package static func json(_ value: SQLiteValue) -> String {
        switch value {
        case .null: "null"
        case .integer(let number): String(number)
        case .real(let number) where number.isNaN: "\"NaN\""
        case .real(let number) where number.isInfinite: number < 0 ? "\"-Infinity\"" : "\"Infinity\""
        case .real(let number): number.description
        case .text(let text) where needsNoEscape(text): "\"" + text + "\""
        case .text, .blob: JSONValue.string(CellText.plain(value)).text
        }
    }

    /// True for text that JSON holds as it is between its quotes (printable ASCII but `"` and `\`),
    /// which `JSONEncoder` would give back unchanged, at a fraction of the cost: a live page's rows
    /// are mostly such cells.
    private static func needsNoEscape(_ text: String) -> Bool {
        text.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }
    }
}

extension DelimitedWriter {
    /// CSV's escaping rule (RFC 4180): a field that holds a comma, a quote, a line feed or a carriage
    /// return is put in quotes with each quote doubled; every other field, and every character, as it is.
    package static func csvQuoted(_ field: String) -> String {
        let needsQuotes = field.utf8.contains {
            $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r")
        }
        guard needsQuotes else { return field }
        return "\"" + field.replacing("\"", with: "\"\"") + "\""
    }

    /// TSV's escaping rule (the sqlite3 shell's): a backslash, tab, line feed or carriage return is
    /// written `\\`, `\t`, `\n`, `\r`; every other character as it is.
    package static func tabEscaped(_ field: String) -> String {
        guard field.utf8.contains(where: { $0 == 0x5C || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) else { return field }
        var escaped = ""
        for scalar in field.unicodeScalars {
            switch scalar {
            case "\\": escaped += "\\\\"
            case "\t": escaped += "\\t"
            case "\n": escaped += "\\n"
            case "\r": escaped += "\\r"
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }
}
