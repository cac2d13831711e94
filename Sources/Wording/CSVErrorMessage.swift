import Training

extension CSVError: CustomStringConvertible {
    /// The error in words, located by file, line and column: `data.csv:3:2 (column 'x'): …`.
    public var description: String {
        var location = MessageText.escapingControls(source)
        if let line { location += ":\(line)" }
        if let column { location += ":\(column)" }
        if let columnName { location += " (column \(MessageText.quoted(columnName)))" }
        return "\(location): \(problem.message)"
    }
}

extension CSVProblem {
    /// What is wrong, in words a user can act on.
    public var message: String {
        switch self {
        case .empty: "the file is empty; expected a header row such as `x1,x2,y`"
        case .noDataRows: "the file has a header but no data rows"
        case let .fieldCount(fields, header): "this row has \(fields) fields but the header has \(header)"
        case .labelNotBinary(let field): "the label \(MessageText.quoted(field)) is not 0 or 1"
        case .headerTooNarrow(let columns):
            "the header has \(columns) column; expected input columns and a label column, such as `x1,x2,y`"
        case .unnamedColumn: "this header column has no name"
        case let .duplicateColumn(first, second, name): "columns \(first) and \(second) are both named \(MessageText.quoted(name))"
        case let .noSuchLabelColumn(label, header):
            "--label \(MessageText.quoted(label)): the header has no such column; it has \(MessageText.shown(header.joined(separator: ", ")))"
        case .notFinite(let field): "\(field.isEmpty ? "an empty field" : MessageText.quoted(field)) is not a finite number"
        case .notText: "the file is not text (it contains NUL bytes); expected CSV"
        case .fieldTooLong(let limit): "a field is longer than \(limit) bytes; expected a number or a column name"
        case .unclosedQuote: "a quoted field is not closed before the end of the file"
        case .notUTF8: "the file is not UTF-8 text; expected CSV"
        case let .tooManyInputs(count, limit): "the header has \(count) input columns; gradlog takes at most \(limit)"
        }
    }
}
