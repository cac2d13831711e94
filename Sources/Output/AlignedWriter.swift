import CTerminal
import SQLiteDB
import Training
import Wording

/// A table whose columns line up: plain for the terminal, or GitHub-flavoured Markdown.
///
/// Numbers are right-aligned. Widths come from the first `measuredRows` rows, which are held until
/// then; a longer table is written row by row from there on, in constant memory, with its numeric
/// columns made wide enough for any number (so later rows stay aligned) and longer text spilling over.
/// Control characters, bidi controls and noncharacters are shown escaped (`\n`, `\e`, `\x07`,
/// `\u009b`, `\u202e`), so text from a file can neither break the layout, nor send commands to the
/// terminal, nor reorder what is shown; Markdown also escapes what would be read as markup. Widths
/// count terminal cells (a CJK character takes two, a combining mark none). With `maxWidth` (the
/// terminal's, for the plain table), the widest text columns are narrowed until the table fits,
/// their long cells cut with `…`; with `precision`, reals show that many significant digits.
package struct AlignedWriter: RowWriter {
    /// One cell's text and its width on screen, measured once.
    private struct Cell {
        let text: String
        let width: Int

        init(_ text: String) {
            self.text = text
            width = AlignedWriter.width(text)
        }
    }

    package let markdown: Bool
    package let maxWidth: Int?
    package let precision: Int?
    private var columns: [Cell] = []
    private var cells: [[Cell]] = []
    private var numeric: [Bool] = []
    private var seenValue: [Bool] = []
    /// The layout once the table streams: column widths and which columns are right-aligned.
    private var layout: (widths: [Int], rightAligned: [Bool])?

    /// How many rows are held to measure the columns before a table streams.
    package static let measuredRows = 1_000
    /// Room for the numbers of rows to come: integers up to a trillion (steps, epochs), and any
    /// Double (`-2.2250738585072014e-308` is 24 characters).
    package static let widestInteger = 13, widestReal = 24
    private var seenReal: [Bool] = []

    package init(markdown: Bool, maxWidth: Int? = nil, precision: Int? = nil) {
        self.markdown = markdown
        self.maxWidth = maxWidth
        self.precision = precision
    }

    /// A narrowed text column is never cut below this many cells.
    package static let narrowestColumn = 12

    package mutating func begin(columns: [String], emit: (String) -> Void) {
        self.columns = columns.map { Cell(escaped($0)) }
        numeric = Array(repeating: true, count: columns.count)
        seenValue = Array(repeating: false, count: columns.count)
        seenReal = Array(repeating: false, count: columns.count)
    }

    package mutating func write(_ row: [SQLiteValue], emit: (String) -> Void) {
        let rendered = row.map { value in
            if let precision, case .real(let number) = value {
                return Cell(CellText.number(number, significantDigits: precision))
            }
            // Numbers are plain ASCII digits: only text is escaped (a million-row report stays fast).
            return Cell(CellText.isNumeric(value) ? CellText.plain(value) : escaped(CellText.plain(value)))
        }
        if let layout {
            emit(line(rendered, widths: layout.widths, rightAligned: layout.rightAligned))
            return
        }
        for (index, value) in row.enumerated() where value != .null {
            seenValue[index] = true
            if !CellText.isNumeric(value) { numeric[index] = false }
            if case .real = value { seenReal[index] = true }
        }
        cells.append(rendered)
        if cells.count == Self.measuredRows { emitMeasured(streaming: true, emit: emit) }
    }

    package mutating func finish(emit: (String) -> Void) {
        if layout == nil { emitMeasured(streaming: false, emit: emit) }
    }

    /// Fixes the column widths from the rows held so far, and writes the header and those rows.
    private mutating func emitMeasured(streaming: Bool, emit: (String) -> Void) {
        let rightAligned = zip(numeric, seenValue).map { $0 && $1 }
        var widths = columns.map(\.width)
        for row in cells {
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.width) }
        }
        if streaming {
            // Rows to come may hold longer numbers than the first ones: leave room for any.
            for index in widths.indices where rightAligned[index] {
                let widest = seenReal[index] ? (precision.map { $0 + 7 } ?? Self.widestReal) : Self.widestInteger
                widths[index] = max(widths[index], widest)
            }
        }
        if markdown { widths = widths.map { max($0, 3) } }
        if let maxWidth { widths = Self.narrowed(widths, toFit: maxWidth, keeping: rightAligned) }
        emit(line(columns, widths: widths, rightAligned: rightAligned.map { _ in false }))
        emit(ruler(widths: widths, rightAligned: rightAligned))
        for row in cells {
            emit(line(row, widths: widths, rightAligned: rightAligned))
        }
        cells = []
        if streaming { layout = (widths, rightAligned) }
    }

    /// The widths with the widest text columns (not the numeric ones) narrowed, one cell at a
    /// time, until the table (columns and two-space gaps) fits in `limit` cells, or none can shrink.
    package static func narrowed(_ widths: [Int], toFit limit: Int, keeping numeric: [Bool]) -> [Int] {
        var widths = widths
        var total = widths.reduce(0, +) + 2 * max(0, widths.count - 1)
        // First no text column below a readable width; then, if that is not enough, down to a few cells.
        for floor in [narrowestColumn, 4] {
            while total > limit {
                let candidates = widths.indices.filter { !numeric[$0] && widths[$0] > floor }
                guard let widest = candidates.max(by: { widths[$0] < widths[$1] }) else { break }
                let cut = min(total - limit, widths[widest] - floor)
                widths[widest] -= cut
                total -= cut
            }
        }
        return widths
    }

    /// The cell's text cut to `width` cells, ending in `…`, when it is wider.
    private static func fitted(_ cell: Cell, to width: Int) -> Cell {
        guard cell.width > width else { return cell }
        var text = ""
        var used = 0
        for character in cell.text {
            let size = Self.width(String(character))
            if used + size > width - 1 { break }
            text.append(character)
            used += size
        }
        return Cell(text + "…")
    }

    private func line(_ row: [Cell], widths: [Int], rightAligned: [Bool]) -> String {
        var text = markdown ? "| " : ""
        for (index, uncut) in row.enumerated() {
            // Cut to the terminal; elsewhere a longer cell of a streamed table spills over.
            let cell = maxWidth == nil ? uncut : Self.fitted(uncut, to: widths[index])
            let padding = widths[index] - cell.width
            if index > 0 { text += markdown ? " | " : "  " }
            if rightAligned[index] {
                Self.appendSpaces(padding, to: &text)
                text += cell.text
            } else {
                text += cell.text
                // The plain table leaves no spaces at the end of a line.
                if markdown || index < row.count - 1 { Self.appendSpaces(padding, to: &text) }
            }
        }
        if !markdown {
            while text.utf8.last == UInt8(ascii: " ") { text.removeLast() }
        }
        return text + (markdown ? " |\n" : "\n")
    }

    private static func appendSpaces(_ count: Int, to text: inout String) {
        guard count > 0 else { return }
        text += String(repeating: " ", count: count)
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

    /// Each format's one escaping rule: the terminal's (`MessageText.escapingControls`) or Markdown's.
    private func escaped(_ text: String) -> String {
        markdown ? MarkdownText.escaped(text) : MessageText.escapingControls(text)
    }

    /// Cells on screen: bytes for ASCII (the common case, and fast), else each scalar's width.
    package static func width(_ text: String) -> Int {
        guard !text.utf8.allSatisfy({ $0 < 0x80 }) else { return text.utf8.count }
        return text.unicodeScalars.reduce(0) { $0 + Int(gradlog_scalar_width($1.value)) }
    }
}
