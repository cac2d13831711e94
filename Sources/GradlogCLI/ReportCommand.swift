import ArgumentParser
import Tracker

extension Gradlog {
    /// `gradlog report RUN`: the per-epoch (or per-step) table of a run.
    struct Report: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a run's per-epoch table, or with --steps every logged step.",
            discussion: """
                Per epoch: epoch, steps, mean_loss, each parameter's value at the end of the epoch, \
                worst_rel_error (the largest relative gradient-check error in the epoch) and accuracy (the \
                share of samples the end-of-epoch parameters classify correctly). With --steps: one row per \
                step with the loss and, for each parameter, its value before the update, both gradients, \
                both errors and whether the check passed. --sql prints the query instead, for the sqlite3 shell.
                """ + example("gradlog report latest --steps --csv --output steps.csv", "gradlog report 3 --sql | sqlite3 -csv gradlog.db"))

        @OptionGroup var database: DatabaseOptions

        @Argument(help: ArgumentHelp("A run: \(runForms).", valueName: "run"))
        var runReference: String

        @Flag(help: "One row per step with every logged column, instead of one row per epoch.")
        var steps = false

        @Flag(help: "Print the report's SQL for this run instead of running it.")
        var sql = false

        @OptionGroup var output: OutputOptions

        func run() throws {
            let rows = try RowOutput(options: output, database: database)
            let catalog = RunCatalog(store: try database.openForReading())
            let runID = try catalog.resolve(runReference)
            let kind: ReportTemplate.Kind = steps ? .steps : .epochs
            if sql {
                try rows.writeText(try catalog.reportSQL(kind, of: runID))
                return
            }
            try rows.stream { begin, row in
                try catalog.streamReport(kind, of: runID, columns: begin, row: row)
            }
        }
    }
}
