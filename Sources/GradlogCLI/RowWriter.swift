import SQLiteDB
import Tracker

/// Turns rows into one output format, writing as it goes where the format allows.
protocol RowWriter {
    /// Starts the output with the column names.
    mutating func begin(columns: [String], emit: (String) -> Void)
    /// Writes one row.
    mutating func write(_ row: [SQLiteValue], emit: (String) -> Void)
    /// Ends the output (aligned formats write everything here).
    mutating func finish(emit: (String) -> Void)
}

extension OutputFormat {
    /// A fresh writer for this format.
    func makeWriter() -> any RowWriter {
        switch self {
        case .table: AlignedWriter(markdown: false)
        case .markdown: AlignedWriter(markdown: true)
        case .csv: DelimitedWriter(separator: ",")
        case .tsv: DelimitedWriter(separator: "\t")
        case .json: JSONRowWriter()
        }
    }
}

/// CSV as RFC 4180 describes it (CRLF line ends, quotes where needed), or the same with tabs.
struct DelimitedWriter: RowWriter {
    let separator: Character

    mutating func begin(columns: [String], emit: (String) -> Void) {
        emit(columns.map(quoted).joined(separator: String(separator)) + "\r\n")
    }

    mutating func write(_ row: [SQLiteValue], emit: (String) -> Void) {
        emit(row.map { quoted(CellText.plain($0)) }.joined(separator: String(separator)) + "\r\n")
    }

    mutating func finish(emit: (String) -> Void) {}

    private func quoted(_ field: String) -> String {
        let needsQuotes = field.contains { $0 == separator || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }
        guard needsQuotes else { return field }
        return "\"" + field.replacing("\"", with: "\"\"") + "\""
    }
}

/// A JSON array with one object per row, one row per line.
struct JSONRowWriter: RowWriter {
    private var keys: [String] = []
    private var rowCount = 0

    mutating func begin(columns: [String], emit: (String) -> Void) {
        keys = columns.map(JSONText.string)
        emit("[")
    }

    mutating func write(_ row: [SQLiteValue], emit: (String) -> Void) {
        let members = zip(keys, row).map { "\($0.0): \(Self.json($0.1))" }.joined(separator: ", ")
        emit((rowCount == 0 ? "\n" : ",\n") + "{" + members + "}")
        rowCount += 1
    }

    mutating func finish(emit: (String) -> Void) {
        emit(rowCount == 0 ? "]\n" : "\n]\n")
    }

    static func json(_ value: SQLiteValue) -> String {
        switch value {
        case .null: "null"
        case .integer(let number): String(number)
        case .real(let number): JSONText.number(number)
        case .text, .blob: JSONText.string(CellText.plain(value))
        }
    }
}
