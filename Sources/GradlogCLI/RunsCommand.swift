import ArgumentParser
import Tracker

extension Gradlog {
    /// `gradlog runs`: one line per run.
    struct Runs: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the runs in the database, oldest first.",
            discussion: "Columns: id, name, status, dataset, lr, epochs, final_loss, started_at.")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            let table = try RunCatalog(store: try database.open()).list()
            try RowOutput(options: output).write(table)
            if table.rows.isEmpty && output.format == .table && output.output == nil {
                CommandContext.current.console.err("No runs yet: start one with `gradlog run`.\n")
            }
        }
    }
}
