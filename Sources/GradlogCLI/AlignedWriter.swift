import SQLiteDB

/// A table whose columns line up: plain for the terminal, or GitHub-flavoured Markdown.
///
/// Numbers are right-aligned. Widths depend on every row, so the table is written when it ends.
struct AlignedWriter: RowWriter {
    let markdown: Bool
    private var columns: [String] = []
    private var cells: [[String]] = []
    private var numeric: [Bool] = []
    private var seenValue: [Bool] = []

    init(markdown: Bool) {
        self.markdown = markdown
    }

    mutating func begin(columns: [String], emit: (String) -> Void) {
        self.columns = columns.map(escaped)
        numeric = Array(repeating: true, count: columns.count)
        seenValue = Array(repeating: false, count: columns.count)
    }

    mutating func write(_ row: [SQLiteValue], emit: (String) -> Void) {
        for (index, value) in row.enumerated() where value != .null {
            seenValue[index] = true
            if !CellText.isNumeric(value) { numeric[index] = false }
        }
        cells.append(row.map { escaped(CellText.plain($0)) })
    }

    mutating func finish(emit: (String) -> Void) {
        let rightAligned = zip(numeric, seenValue).map { $0 && $1 }
        var widths = columns.map(Self.width)
        for row in cells {
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], Self.width(cell)) }
        }
        if markdown { widths = widths.map { max($0, 3) } }
        emit(line(columns, widths: widths, rightAligned: rightAligned.map { _ in false }))
        emit(ruler(widths: widths, rightAligned: rightAligned))
        for row in cells {
            emit(line(row, widths: widths, rightAligned: rightAligned))
        }
    }

    private func line(_ row: [String], widths: [Int], rightAligned: [Bool]) -> String {
        let padded = row.indices.map { index in
            let padding = String(repeating: " ", count: widths[index] - Self.width(row[index]))
            return rightAligned[index] ? padding + row[index] : row[index] + padding
        }
        if markdown { return "| " + padded.joined(separator: " | ") + " |\n" }
        return trimmedRight(padded.joined(separator: "  ")) + "\n"
    }

    private func ruler(widths: [Int], rightAligned: [Bool]) -> String {
        if markdown {
            let marks = widths.indices.map { index in
                rightAligned[index]
                    ? String(repeating: "-", count: widths[index] + 1) + ":"
                    : String(repeating: "-", count: widths[index] + 2)
            }
            return "|" + marks.joined(separator: "|") + "|\n"
        }
        return widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n"
    }

    /// Keeps every cell on one line; in Markdown also keeps `|` from ending the cell.
    private func escaped(_ text: String) -> String {
        let needsEscaping = text.utf8.contains { $0 < 0x20 || (markdown && $0 == UInt8(ascii: "|")) }
        guard needsEscaping else { return text }
        if markdown {
            return text.replacing("\r\n", with: "<br>").replacing("\n", with: "<br>").replacing("\r", with: "<br>")
                .replacing("|", with: "\\|")
        }
        return text.replacing("\r\n", with: "\\n").replacing("\n", with: "\\n").replacing("\r", with: "\\r")
            .replacing("\t", with: "\\t")
    }

    /// Characters on screen: bytes for ASCII (the common case, and fast), else grapheme clusters.
    private static func width(_ text: String) -> Int {
        text.utf8.allSatisfy { $0 < 0x80 } ? text.utf8.count : text.count
    }

    private func trimmedRight(_ text: String) -> String {
        var result = text
        while result.last == " " { result.removeLast() }
        return result
    }
}
