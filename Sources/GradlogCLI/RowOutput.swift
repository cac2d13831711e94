import SQLiteDB
import Tracker

/// Writes tables in the format and to the place the output options chose.
struct RowOutput {
    let options: OutputOptions

    /// Writes a whole table.
    func write(_ table: Table) throws(CLIError) {
        try stream { begin, row in
            begin(table.columns)
            for values in table.rows { row(values) }
        }
    }

    /// Writes rows as `produce` hands them over, so a long report never sits in memory whole
    /// (except in the aligned formats, whose widths depend on every row).
    func stream(
        _ produce: (_ begin: ([String]) -> Void, _ row: ([SQLiteValue]) -> Void) throws -> Void
    ) throws(CLIError) {
        let target = try OutputTarget(path: options.output, console: CommandContext.current.console)
        var writer = options.format.makeWriter()
        do {
            try produce(
                { columns in writer.begin(columns: columns, emit: target.write) },
                { values in writer.write(values, emit: target.write) })
        } catch let error as CLIError {
            throw error
        } catch {
            throw .failed(error)
        }
        writer.finish(emit: target.write)
        try target.commit()
    }
}
