import ArgumentParser
import HTMLPages
import Output
import Tracker

extension Gradlog {
    /// `gradlog report RUN`: the per-epoch (or per-step) table of a run.
    struct Report: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a run's per-epoch table (--steps: every step, --layers: per layer), or an --html page with charts.",
            discussion: """
                Per epoch: epoch, steps, mean_loss, each parameter's value at the end of the epoch, \
                worst_rel_error (the largest relative gradient-check error in the epoch) and accuracy (the \
                share of samples the end-of-epoch parameters classify correctly). With --steps: one row per \
                step with the loss and, for each parameter, its value before the update, both gradients, \
                both errors and whether the check passed. With --layers: for each epoch and layer, the \
                checks made, the worst errors and the failed checks, so a gradient wrong in one layer stands \
                out. --html writes one self-contained page with the summary, the charts and the \
                per-epoch table, of one run or several. --sql prints the query instead, for the sqlite3 shell.
                """ + example("gradlog report latest --steps --csv --output steps.csv", "gradlog report 3 --sql | sqlite3 -csv gradlog.db",
                              "gradlog report 5 --steps --param 'l1.*'", "gradlog report 5 --layers",
                              "gradlog report 3 5 --html --output runs.html"))

        @OptionGroup var source: SourceOptions
        var database: DatabaseOptions { source.database }

        @Argument(help: ArgumentHelp("A run: \(runForms); several with --html.", valueName: "run"))
        var runReferences: [String] = []

        @Flag(help: "One row per step with every logged column, instead of one row per epoch.")
        var steps = false

        @Flag(help: "One row per epoch and layer with the layer's worst gradient check.")
        var layers = false

        @Option(help: ArgumentHelp(
            "Only the parameters whose names match this GLOB pattern (e.g. 'l1.*' or 'l2.n1.?').", valueName: "glob"))
        var param: String?

        @Flag(help: ArgumentHelp(
            "One self-contained HTML page: summary, configuration, the four charts and the per-epoch table.",
            discussion: "Several runs give one page that compares them. Needs no network and no script. On a terminal, "
                + "without --output, the page goes to a new file named after the runs (run-3.html)."))
        var html = false

        @Option(help: ArgumentHelp(
            "With --html: also every run with this tag (a sweep); repeat to require several.", valueName: "key=value"))
        var tag: [Tag] = []

        @Flag(help: "Print the report's SQL for this run instead of running it.")
        var sql = false

        @OptionGroup var output: OutputOptions

        func validate() throws {
            if runReferences.isEmpty && tag.isEmpty { throw ValidationError("give a run") }
            if !tag.isEmpty && !html { throw ValidationError("--tag selects the runs of an --html page") }
            if runReferences.count > 1 && !html { throw ValidationError("several runs need --html (or see `gradlog compare`)") }
            if html && (steps || layers || sql || param != nil) {
                throw ValidationError("--html makes its own page: leave out --steps, --layers, --param and --sql")
            }
            if layers && steps { throw ValidationError("give --layers or --steps, not both") }
            if layers && param != nil { throw ValidationError("--param selects columns of the per-epoch or per-step report, not of --layers") }
        }

        func run() throws {
            if html { return try writePage() }
            let rows = try RowOutput(options: output, database: database)
            let catalog = RunCatalog(store: try source.open())
            let runID = try catalog.resolve(runReferences[0])
            let kind: ReportTemplate.Kind = layers ? .layers : steps ? .steps : .epochs
            if sql {
                try rows.writeText(try catalog.reportSQL(kind, of: runID, matching: param))
                return
            }
            try rows.stream { begin, row in
                try catalog.streamReport(kind, of: runID, matching: param, columns: begin, row: row)
            }
        }

        /// The --html page, to --output, standard output, or on a terminal a file named after the runs.
        private func writePage() throws {
            let catalog = RunCatalog(store: try source.open())
            let ids = try TaggedRuns.resolve(runReferences, tags: tag, catalog: catalog)
            try catalog.store.loadOnDemand(ids)
            let context = CommandContext.current
            let file = try DocumentFile(requested: output.output, base: DocumentFile.runsName(ids), ext: ".html",
                                        console: context.console, directory: context.documentDirectory)
            let target = try OutputTarget(path: file.path, console: context.console, protecting: [database.resolvedPath])
            target.write(try HTMLReport(store: catalog.store, ids: ids).page())
            try target.commit()
            if let line = file.announcement { context.console.err(line) }
        }
    }
}
