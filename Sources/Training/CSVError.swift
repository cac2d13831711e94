/// A problem with a CSV data file, located by file, line and column; its words are `Wording`'s.
public struct CSVError: Error, Equatable, Sendable {
    /// The file the text came from.
    public let source: String
    /// The 1-based line of the problem, when it has one.
    public let line: Int?
    /// The 1-based column of the problem, when it has one.
    public let column: Int?
    /// The column's header name, when known.
    public let columnName: String?
    /// What is wrong.
    public let problem: CSVProblem

    /// Creates an error from its parts.
    public init(source: String, line: Int? = nil, column: Int? = nil, columnName: String? = nil, problem: CSVProblem) {
        self.source = source
        self.line = line
        self.column = column
        self.columnName = columnName
        self.problem = problem
    }
}

/// What is wrong with a CSV data file, as facts.
public enum CSVProblem: Equatable, Sendable {
    /// Not even a header row.
    case empty
    /// A header, but no data row.
    case noDataRows
    /// A data row with another number of fields than the header.
    case fieldCount(fields: Int, header: Int)
    /// A label other than 0 or 1 (the field as written).
    case labelNotBinary(String)
    /// A header of fewer than two columns.
    case headerTooNarrow(columns: Int)
    /// A header column without a name.
    case unnamedColumn
    /// Two header columns (1-based) with one name.
    case duplicateColumn(first: Int, second: Int, name: String)
    /// The label column asked for is not in the header (its names given).
    case noSuchLabelColumn(label: String, header: [String])
    /// A field that is not a finite number in decimal notation ("" for an empty field).
    case notFinite(String)
    /// NUL bytes: not a text file.
    case notText
    /// A field longer than the limit, in bytes.
    case fieldTooLong(limit: Int)
    /// A quoted field still open at the end of the file.
    case unclosedQuote
    /// Bytes that are not UTF-8.
    case notUTF8
    /// More input columns than the limit.
    case tooManyInputs(count: Int, limit: Int)
}
