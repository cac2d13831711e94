import SQLiteDB
import Tracker
import Output

/// Writes tables in the format and to the place the output options chose.
///
/// The target is opened (and a `--output` path checked) when this is made, so a command makes it
/// before its real work: a run never trains only to find that its output cannot be written.
final class RowOutput {
    private let format: OutputFormat
    private let target: OutputTarget
    /// The terminal's width, when the table goes to a terminal.
    private let maxWidth: Int?
    private let precision: Int?

    /// Opens the output, refusing a `--output` that is the command's database or another SQLite file.
    init(options: OutputOptions, database: DatabaseOptions, alsoProtecting others: [String] = []) throws(OutputError) {
        format = options.format
        precision = options.precision
        let console = CommandContext.current.console
        let toConsole = options.output == nil || options.output == OutputTarget.standardOutputName
        maxWidth = toConsole && console.outputIsTerminal ? console.outputColumns : nil
        target = try OutputTarget(
            path: options.output, console: CommandContext.current.console,
            protecting: [database.resolvedPath] + others)
    }

    /// Writes a whole table.
    func write(_ table: Table) throws {
        try stream { begin, row in
            try begin(table.columns)
            for values in table.rows { try row(values) }
        }
    }

    /// Writes text as it is (a query for the sqlite3 shell), ending it with a line break.
    func writeText(_ text: String) throws(OutputError) {
        target.write(text.hasSuffix("\n") ? text : text + "\n")
        try target.commit()
    }

    /// Writes rows as `produce` hands them over, so a long report never sits in memory whole
    /// (except in the aligned formats, whose widths depend on every row). Stops at the first
    /// failed write.
    func stream(
        _ produce: (_ begin: ([String]) throws -> Void, _ row: ([SQLiteValue]) throws -> Void) throws -> Void
    ) throws {
        var writer = format.makeWriter(maxWidth: maxWidth, precision: precision)
        let target = self.target
        try produce(
            { columns in
                writer.begin(columns: columns, emit: target.write)
                try target.checkWritten()
            },
            { values in
                writer.write(values, emit: target.write)
                try target.checkWritten()
            })
        writer.finish(emit: target.write)
        try target.commit()
    }
}
