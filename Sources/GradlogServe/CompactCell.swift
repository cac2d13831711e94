import Charts
import Foundation
import Output
import SQLiteDB

/// Table cells as the runs and sweep pages show them: a number with a fraction to six significant
/// digits (its full value in the cell's title), so that a table of many runs fits the window; any
/// other value as the report formats write it.
enum CompactCell {
    /// The text of a value as shown.
    static func text(_ value: SQLiteValue) -> String {
        guard case .real(let number) = value, number.isFinite else { return value == .null ? "" : CellText.plain(value) }
        return String(format: "%.6g", number)
    }

    /// One `<td>`: numbers in class `n`, a shortened number's full value in its title; with `column`, named by `data-col`.
    static func html(_ value: SQLiteValue, column: String? = nil) -> String {
        let shown = text(value), full = value == .null ? "" : CellText.plain(value)
        var attributes = CellText.isNumeric(value) ? " class=\"n\"" : ""
        if let column { attributes += " data-col=\"\(LineChart.escaped(column))\"" }
        if shown != full { attributes += " title=\"\(LineChart.escaped(full))\"" }
        return "<td\(attributes)>\(LineChart.escaped(shown))</td>"
    }
}
