/// A problem with a CSV data file, located by file, line and column.
public struct CSVError: Error, Equatable, CustomStringConvertible {
    /// The file the text came from.
    public let source: String
    /// The 1-based line of the problem, when it has one.
    public let line: Int?
    /// The 1-based column of the problem, when it has one.
    public let column: Int?
    /// The column's header name, when known.
    public let columnName: String?
    /// What is wrong, in words a user can act on.
    public let problem: String

    /// Creates an error from its parts.
    public init(source: String, line: Int? = nil, column: Int? = nil, columnName: String? = nil, problem: String) {
        self.source = source
        self.line = line
        self.column = column
        self.columnName = columnName
        self.problem = problem
    }

    public var description: String {
        var location = MessageText.escapingControls(source)
        if let line { location += ":\(line)" }
        if let column { location += ":\(column)" }
        if let columnName { location += " (column \(MessageText.quoted(columnName)))" }
        return "\(location): \(problem)"
    }
}
