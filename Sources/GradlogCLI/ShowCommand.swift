import ArgumentParser
import Tracker

extension Gradlog {
    /// `gradlog show RUN`: one run's configuration and summary.
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show one run's full configuration, summary, parameters and tags.",
            discussion: "Prints field/value rows: every column of the run's row in `runs`, then "
                + "latest_loss and steps_per_s (while the run is running: its last step's loss, and step numbers "
                + "per second since it started), each parameter's initial and final value, then the tags." + example("gradlog show latest --json"))

        @OptionGroup var source: SourceOptions
        var database: DatabaseOptions { source.database }

        @Argument(help: ArgumentHelp("A run: \(runForms).", valueName: "run"))
        var runReference: String

        @OptionGroup var output: OutputOptions

        func run() throws {
            let rows = try RowOutput(options: output, database: database)
            let catalog = RunCatalog(store: try source.open())
            try rows.write(try catalog.details(of: try catalog.resolve(runReference)))
        }
    }
}
